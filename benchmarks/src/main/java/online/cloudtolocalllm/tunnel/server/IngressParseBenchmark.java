package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ingress request parsing as the server does it: the decoding half of the HTTP codec with the limits
 * {@code ConnectionSniffer} sets (the encoding half would hold back requests that are never answered here), then
 * {@link IngressTarget#parse} of the URI. It sits in the server's package (on the class path) to reach that
 * package-private parser without widening it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IngressParseBenchmark {
    private static final byte[] REQUEST = ("GET /t/alice/llm/api/generate?stream=true HTTP/1.1\r\n"
            + "Host: tunnel.example.com\r\n"
            + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImlhdCI6MTc2NDExMjAwMCwiZXhwIjoxNzY0MTE1NjAwfQ"
            + ".3q2-8cK1eH0wZs1m6mS0m3m8Lrj4xg9Qm0cQp0S2Z9E\r\n"
            + "User-Agent: curl/8.5.0\r\n"
            + "Accept: application/x-ndjson\r\n"
            + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private EmbeddedChannel channel;

    @Setup(Level.Trial)
    public void setUp() {
        channel = new EmbeddedChannel(new HttpRequestDecoder(8192, 16 * 1024, 64 * 1024));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    /** Request head bytes in, the ingress target out. */
    @Benchmark
    public Optional<IngressTarget> parseRequest() {
        channel.writeInbound(Unpooled.wrappedBuffer(REQUEST));
        HttpRequest request = channel.readInbound();
        for (Object rest; (rest = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(rest);
        }
        return IngressTarget.parse(request.uri());
    }
}
