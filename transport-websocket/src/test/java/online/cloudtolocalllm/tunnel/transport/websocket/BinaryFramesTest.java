package online.cloudtolocalllm.tunnel.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The frames each side gathers and seals itself are what an RFC 6455 decoder (Netty's, as the other side runs it) reads back. */
class BinaryFramesTest {
    private static final int MASK = 0x1F2E3D4C;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 125, 126, 127, 65_535, 65_536, 100_003})
    void aServerDecoderReadsBackEveryLengthOfAClientsMaskedFrameAndTheSourceIsLeftAlone(int length) {
        byte[] bytes = new byte[length + 5];
        new Random(length).nextBytes(bytes);
        byte[] original = bytes.clone();
        // the payload sits at an offset inside a larger array, as SSH packets do
        ByteBuffer payload = ByteBuffer.wrap(bytes, 3, length);

        ByteBuf frame = gather(List.of(payload), true);

        assertThat(frame.getByte(frame.readerIndex() + 1) & 0x80).as("mask bit").isEqualTo(0x80);
        assertThat(decodedBy(new WebSocket08FrameDecoder(true, false, 1 << 20), frame))
                .isEqualTo(Arrays.copyOfRange(original, 3, 3 + length));
        assertThat(bytes).as("the SSH packet buffer is not written to").isEqualTo(original);
        assertThat(payload.position()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 125, 126, 127, 65_535, 65_536, 100_003})
    void aClientDecoderReadsBackEveryLengthOfAServersFrame(int length) {
        byte[] bytes = new byte[length + 5];
        new Random(length).nextBytes(bytes);

        ByteBuf frame = gather(List.of(ByteBuffer.wrap(bytes, 3, length)), false);

        assertThat(frame.getByte(frame.readerIndex() + 1) & 0x80).as("mask bit").isZero();
        assertThat(decodedBy(new WebSocket08FrameDecoder(false, false, 1 << 20), frame))
                .isEqualTo(Arrays.copyOfRange(bytes, 3, 3 + length));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void piecesGatheredIntoOneFrameAreReadBackAsOnePayloadInOrder(boolean masked) {
        Random random = new Random(7);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        List<ByteBuffer> pieces = new java.util.ArrayList<>();
        // lengths that leave the mask at every phase, and one piece outside any array
        for (int length : new int[] {1, 3, 6, 13, 200, 5000, 2, 70_000}) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            expected.writeBytes(bytes);
            pieces.add(ByteBuffer.wrap(bytes));
        }
        byte[] direct = new byte[11];
        random.nextBytes(direct);
        expected.writeBytes(direct);
        pieces.add(ByteBuffer.allocateDirect(direct.length).put(direct).flip());

        ByteBuf frame = gather(pieces, masked);

        assertThat(decodedBy(new WebSocket08FrameDecoder(masked, false, 1 << 20), frame)).isEqualTo(expected.toByteArray());
    }

    /** {@code pieces} gathered into one frame and sealed, as a connection does with the sends of one pass. */
    private static ByteBuf gather(List<ByteBuffer> pieces, boolean masked) {
        ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(BinaryFrames.HEADER_ROOM + 16);
        frame.writerIndex(BinaryFrames.HEADER_ROOM);
        for (ByteBuffer piece : pieces) {
            int gathered = frame.writerIndex() - BinaryFrames.HEADER_ROOM;
            if (masked) {
                BinaryFrames.appendMasked(frame, piece, gathered, MASK);
            } else {
                frame.writeBytes(piece.duplicate());
            }
        }
        return BinaryFrames.seal(frame, masked, MASK);
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
