package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
 * WebSocket binary frames as our transport handles them: a client's masked frame in through the decoder and
 * aggregator the upgrade installs, and SSH packets out as {@link BinaryFrames} builds frames at both ends (gathered
 * into a direct buffer from the channel's allocator, the header sealed in front; masked eight bytes at a time on
 * the client). Sizes span a keep-alive packet to a full 32 KiB SSH data packet. It sits in the transport's package
 * (on the class path) to reach the package-private encoder.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
    /** The frames of one pass that {@link #gatherFourServer} seals as one. */
    static final int GATHERED = 4;
    private static final int MASK = 0x5A17C3E9;

    @Param({"64", "1024", "32768"})
    public int size;

    private ByteBuffer payload;
    private byte[] maskedFrame;
    private EmbeddedChannel serverInbound;

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
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        client.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
        maskedFrame = drain(client);
        client.finishAndReleaseAll();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        serverInbound.finishAndReleaseAll();
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

    /** An SSH packet out as the server's frame: copied in after the header's room, the header sealed in front. */
    @Benchmark
    public int sealServer() {
        return releasing(serverFrame(1));
    }

    /** A pass's four SSH packets out as one server frame. */
    @Benchmark
    public int gatherFourServer() {
        return releasing(serverFrame(GATHERED));
    }

    /** An SSH packet out as the client's frame: masked while it is copied in, the header sealed in front. */
    @Benchmark
    public int sealClientMasked() {
        return releasing(clientFrame());
    }

    /** The server's frame of {@code packets} copies of the payload, ready for the socket. */
    ByteBuf serverFrame(int packets) {
        ByteBuf frame = emptyFrame(packets * size);
        for (int i = 0; i < packets; i++) {
            frame.writeBytes(payload.duplicate());
        }
        return BinaryFrames.seal(frame, false, 0);
    }

    /** The client's frame of the payload, masked, ready for the socket. */
    ByteBuf clientFrame() {
        ByteBuf frame = emptyFrame(size);
        BinaryFrames.appendMasked(frame, payload, 0, MASK);
        return BinaryFrames.seal(frame, true, MASK);
    }

    private static ByteBuf emptyFrame(int payloadBytes) {
        ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(BinaryFrames.HEADER_ROOM + payloadBytes);
        return frame.writerIndex(BinaryFrames.HEADER_ROOM);
    }

    private static int releasing(ByteBuf frame) {
        try {
            return frame.readableBytes();
        } finally {
            frame.release();
        }
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
