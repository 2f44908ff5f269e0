package online.cloudtolocalllm.tunnel.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * WebSocket binary frames as the server side of our transport handles them: masked frames from the client through
 * the decoder and aggregator the upgrade installs, and SSH packets out as unmasked frames (plus the masked encoding
 * a Netty client does). Sizes span a keep-alive packet to a full 32 KiB SSH data packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
    @Param({"64", "1024", "32768"})
    public int size;

    private ByteBuffer payload;
    private byte[] maskedFrame;
    private EmbeddedChannel serverInbound;
    private EmbeddedChannel serverOutbound;
    private EmbeddedChannel clientOutbound;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = new byte[size];
        new Random(1).nextBytes(bytes);
        payload = ByteBuffer.wrap(bytes);
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(TunnelServerConfig.DEFAULT_MAX_FRAME_SIZE).allowExtensions(false)
                .closeOnProtocolViolation(true).build();
        serverInbound = new EmbeddedChannel(new WebSocket13FrameDecoder(config),
                new WebSocketFrameAggregator(TunnelServerConfig.DEFAULT_MAX_FRAME_SIZE));
        serverOutbound = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        clientOutbound = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        clientOutbound.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
        maskedFrame = drain(clientOutbound);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        serverInbound.finishAndReleaseAll();
        serverOutbound.finishAndReleaseAll();
        clientOutbound.finishAndReleaseAll();
    }

    /** A masked client frame in, its unmasked payload out. */
    @Benchmark
    public byte decodeMasked() {
        serverInbound.writeInbound(Unpooled.wrappedBuffer(maskedFrame));
        WebSocketFrame frame = serverInbound.readInbound();
        try {
            return frame.content().getByte(frame.content().readerIndex());
        } finally {
            frame.release();
        }
    }

    /** An SSH packet out as an unmasked server frame, as {@code NettyFrameConnection} wraps it. */
    @Benchmark
    public int encodeServer() {
        serverOutbound.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload.duplicate())));
        return releaseAll(serverOutbound);
    }

    /** An SSH packet out as a masked client frame (the Netty client transport). */
    @Benchmark
    public int encodeClientMasked() {
        clientOutbound.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload.duplicate())));
        return releaseAll(clientOutbound);
    }

    private static int releaseAll(EmbeddedChannel channel) {
        int bytes = 0;
        for (Object out; (out = channel.readOutbound()) != null; ) {
            bytes += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        return bytes;
    }

    private static byte[] drain(EmbeddedChannel channel) {
        ByteBuf all = Unpooled.buffer();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            all.writeBytes((ByteBuf) out);
            ReferenceCountUtil.release(out);
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        all.release();
        return bytes;
    }
}
