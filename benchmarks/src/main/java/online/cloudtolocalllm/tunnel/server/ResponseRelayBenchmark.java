package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
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
 * A service's 1 KiB response on its way to the ingress caller, from the bytes the tunnel delivers to the bytes for
 * the caller's socket: {@link ResponseReader} (the head rewritten, the body passed on) against what the ingress did
 * before (Netty's {@link HttpResponseDecoder} in an embedded channel, the connection headers edited, then
 * {@link HttpResponseEncoder}). Both give the caller the same head lines and body.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResponseRelayBenchmark {
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            + "date: Thu, 26 Nov 2026 18:00:00 GMT\r\nconnection: keep-alive\r\ncontent-length: 1024\r\n\r\n"
            + "x".repeat(1024)).getBytes(StandardCharsets.US_ASCII);

    private final ResponseReader reader = new ResponseReader(ByteBufAllocator.DEFAULT);
    private final Written written = new Written();
    private EmbeddedChannel decoder;
    private EmbeddedChannel encoder;

    @Setup(Level.Trial)
    public void setUp() {
        decoder = new EmbeddedChannel(new HttpResponseDecoder());
        encoder = new EmbeddedChannel(new HttpResponseEncoder());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoder.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
    }

    @Benchmark
    public int responseReader() {
        written.bytes = 0;
        reader.expect(false);
        reader.read(received(), written);
        return written.bytes;
    }

    @Benchmark
    public int nettyDecodeAndEncode() {
        decoder.writeInbound(received());
        for (Object message; (message = decoder.readInbound()) != null; ) {
            if (message instanceof HttpResponse head) {
                head.headers().remove(HttpHeaderNames.CONNECTION);
                head.setProtocolVersion(HttpVersion.HTTP_1_1);
                head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            encoder.writeOutbound(message);
        }
        int bytes = 0;
        for (Object out; (out = encoder.readOutbound()) != null; ) {
            bytes += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        return bytes;
    }

    /** What the tunnel hands the ingress: the response copied into a pooled direct buffer, as {@code Upstream} does. */
    private static ByteBuf received() {
        return ByteBufAllocator.DEFAULT.directBuffer(RESPONSE.length).writeBytes(RESPONSE);
    }

    /** Counts and releases what would go to the caller. */
    private static final class Written implements ResponseReader.Listener {
        int bytes;

        @Override
        public void head(ResponseHead head) {
            ByteBuf bytesOut = head.finish(false, true);
            bytes += bytesOut.readableBytes();
            bytesOut.release();
        }

        @Override
        public void body(ByteBuf piece) {
            bytes += piece.readableBytes();
            piece.release();
        }

        @Override
        public void end() {
            // nothing more to write for a response framed by its length
        }
    }
}
