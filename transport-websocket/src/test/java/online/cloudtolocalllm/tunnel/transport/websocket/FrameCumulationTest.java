package online.cloudtolocalllm.tunnel.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import online.cloudtolocalllm.tunnel.spi.FrameHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Once a WebSocket frame connection starts, frames that span socket reads decode whole and the reads are kept as
 * they are instead of copied together.
 */
class FrameCumulationTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void afterStartAFrameSpanningReadsArrivesWholeWithoutTheReadsBeingCopied() {
        new WebSocketFrameConnection(channel, Duration.ofMinutes(1), true).start(new FrameHandler() {
            @Override
            public void onFrame(ByteBuffer frame) {
            }

            @Override
            public void onClosed(int code, String reason) {
            }
        });
        channel.runPendingTasks();
        byte[] first = payload(40_000, 1);
        byte[] second = payload(30_000, 2);
        byte[] wire = concat(unmaskedBinaryFrame(first), unmaskedBinaryFrame(second));

        // reads that end inside frames, as 64 KiB socket reads do with 32 KiB frames
        ByteBuf read1 = Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, 0, 25_000));
        ByteBuf read2 = Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, 25_000, 50_000));
        ByteBuf read3 = Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, 50_000, wire.length));
        channel.writeInbound(read1);
        assertThat(channel.inboundMessages()).isEmpty();
        channel.writeInbound(read2);

        assertContent(channel.readInbound(), first);
        assertThat(read2.refCnt()).as("the second read is held for the next frame, not copied and released").isEqualTo(1);
        channel.writeInbound(read3);
        assertContent(channel.readInbound(), second);
    }

    @Test
    void withoutItTheDecoderCopiesTheReadsTogether() {
        byte[] wire = concat(unmaskedBinaryFrame(payload(40_000, 1)), unmaskedBinaryFrame(payload(30_000, 2)));
        ByteBuf read2 = Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, 25_000, 50_000));
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, 0, 25_000)));
        channel.writeInbound(read2);

        ((BinaryWebSocketFrame) channel.readInbound()).release();
        assertThat(read2.refCnt()).as("Netty's default: copied into the first read's buffer, then released").isZero();
    }

    private static void assertContent(Object frame, byte[] expected) {
        BinaryWebSocketFrame binary = (BinaryWebSocketFrame) frame;
        try {
            assertThat(ByteBufUtil.getBytes(binary.content())).isEqualTo(expected);
        } finally {
            binary.release();
        }
    }

    private static byte[] payload(int size, int seed) {
        byte[] payload = new byte[size];
        new java.util.Random(seed).nextBytes(payload);
        return payload;
    }

    /** FIN, binary, no mask, a 16-bit length. */
    private static byte[] unmaskedBinaryFrame(byte[] payload) {
        byte[] header = {(byte) 0x82, 126, (byte) (payload.length >>> 8), (byte) payload.length};
        return concat(header, payload);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
