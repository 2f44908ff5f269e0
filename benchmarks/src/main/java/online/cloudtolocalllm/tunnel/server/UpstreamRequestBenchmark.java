package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Iterator;
import java.util.Map;
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
 * The request an ingress sends its service, from a decoded caller request to bytes: {@link UpstreamRequest} against
 * the way of Netty's encoder (a copy of the headers, edited, then {@link HttpRequestEncoder} in an embedded channel),
 * which the ingress used before. Both write the same headers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UpstreamRequestBenchmark {
    private final HttpHeaders caller = new DefaultHttpHeaders()
            .add("Host", "tunnel.example.com")
            .add("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.3q2-8cK1eH0wZs1m6mS0m3m8Lrj4xg9Qm0cQp0S2Z9E")
            .add("User-Agent", "curl/8.5.0")
            .add("Accept", "application/x-ndjson")
            .add("Connection", "keep-alive");
    private final ByteBuf head = Unpooled.buffer(512);
    private EmbeddedChannel encoder;

    @Setup(Level.Trial)
    public void setUp() {
        encoder = new EmbeddedChannel(new HttpRequestEncoder());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.finishAndReleaseAll();
    }

    @Benchmark
    public int upstreamRequest() {
        UpstreamRequest request = new UpstreamRequest(head, HttpMethod.GET, "/api/generate?stream=true", false);
        for (Iterator<Map.Entry<CharSequence, CharSequence>> all = caller.iteratorCharSequence(); all.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = all.next();
            String name = header.getKey().toString();
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Authorization") && !name.equalsIgnoreCase("Connection")) {
                request.header(header.getKey(), header.getValue());
            }
        }
        request.header("X-Forwarded-Host", "tunnel.example.com").header("Host", "localhost")
                .header("X-Forwarded-For", "127.0.0.1").header("X-Forwarded-Proto", "http")
                .header("X-Forwarded-Prefix", "/t/alice/llm");
        return request.finishHead().readableBytes();
    }

    @Benchmark
    public int nettyEncoder() {
        HttpHeaders headers = caller.copy();
        headers.remove("Connection");
        headers.remove("Authorization");
        headers.set("X-Forwarded-Host", headers.get("Host"));
        headers.set("Host", "localhost");
        headers.set("X-Forwarded-For", "127.0.0.1");
        headers.set("X-Forwarded-Proto", "http");
        headers.set("X-Forwarded-Prefix", "/t/alice/llm");
        encoder.writeOutbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/generate?stream=true", headers),
                LastHttpContent.EMPTY_LAST_CONTENT);
        int length = 0;
        for (ByteBuf bytes; (bytes = encoder.readOutbound()) != null; ) {
            length += bytes.readableBytes();
            bytes.release();
        }
        return length;
    }
}
