package online.cloudtolocalllm.tunnel.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The frames each side encodes itself are what an RFC 6455 decoder (Netty's, as the other side runs it) reads back. */
class BinaryFramesTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 125, 126, 127, 65_535, 65_536, 100_003})
    void aServerDecoderReadsBackEveryLengthOfAClientsMaskedFrameAndTheSourceIsLeftAlone(int length) {
        byte[] bytes = new byte[length + 5];
        new Random(length).nextBytes(bytes);
        byte[] original = bytes.clone();
        // the payload sits at an offset inside a larger array, as SSH packets do
        ByteBuf payload = Unpooled.wrappedBuffer(ByteBuffer.wrap(bytes, 3, length));

        ByteBuf frame = BinaryFrames.masked(ByteBufAllocator.DEFAULT, payload);

        assertThat(frame.getByte(1) & 0x80).as("mask bit").isEqualTo(0x80);
        assertThat(decodedBy(new WebSocket08FrameDecoder(true, false, 1 << 20), frame))
                .isEqualTo(java.util.Arrays.copyOfRange(original, 3, 3 + length));
        assertThat(bytes).as("the SSH packet buffer is not written to").isEqualTo(original);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 125, 126, 127, 65_535, 65_536, 100_003})
    void aClientDecoderReadsBackEveryLengthOfAServersFrameAndTheSourceIsLeftWhereItWas(int length) {
        byte[] bytes = new byte[length + 5];
        new Random(length).nextBytes(bytes);
        ByteBuffer payload = ByteBuffer.wrap(bytes, 3, length);

        ByteBuf frame = BinaryFrames.unmasked(ByteBufAllocator.DEFAULT, payload);

        assertThat(frame.getByte(1) & 0x80).as("mask bit").isZero();
        assertThat(decodedBy(new WebSocket08FrameDecoder(false, false, 1 << 20), frame))
                .isEqualTo(java.util.Arrays.copyOfRange(bytes, 3, 3 + length));
        assertThat(payload.position()).isEqualTo(3);
        assertThat(payload.remaining()).isEqualTo(length);
    }

    /** The one final binary frame {@code decoder} reads from {@code frame}, and nothing after it. */
    private static byte[] decodedBy(WebSocket08FrameDecoder decoder, ByteBuf frame) {
        EmbeddedChannel peer = new EmbeddedChannel(decoder);
        peer.writeInbound(frame);
        BinaryWebSocketFrame decoded = peer.readInbound();
        try {
            assertThat(decoded.isFinalFragment()).isTrue();
            Object more = peer.readInbound();
            assertThat(more).isNull();
            return ByteBufUtil.getBytes(decoded.content());
        } finally {
            decoded.release();
            peer.finishAndReleaseAll();
        }
    }
}
