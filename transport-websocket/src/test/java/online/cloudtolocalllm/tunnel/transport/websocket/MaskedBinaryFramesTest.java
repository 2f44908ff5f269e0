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

/** Frames the client masks itself are what an RFC 6455 decoder (Netty's, as the server runs it) reads back. */
class MaskedBinaryFramesTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 125, 126, 127, 65_535, 65_536, 100_003})
    void aServerDecoderReadsBackEveryLengthAndLeavesTheSourceAlone(int length) {
        byte[] bytes = new byte[length + 5];
        new Random(length).nextBytes(bytes);
        byte[] original = bytes.clone();
        // the payload sits at an offset inside a larger array, as SSH packets do
        ByteBuf payload = Unpooled.wrappedBuffer(ByteBuffer.wrap(bytes, 3, length));

        ByteBuf frame = MaskedBinaryFrames.encode(ByteBufAllocator.DEFAULT, payload);

        assertThat(frame.getByte(1) & 0x80).as("mask bit").isEqualTo(0x80);
        EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(true, false, 1 << 20));
        server.writeInbound(frame);
        BinaryWebSocketFrame decoded = server.readInbound();
        try {
            assertThat(decoded.isFinalFragment()).isTrue();
            assertThat(ByteBufUtil.getBytes(decoded.content())).isEqualTo(java.util.Arrays.copyOfRange(original, 3, 3 + length));
        } finally {
            decoded.release();
        }
        assertThat(bytes).as("the SSH packet buffer is not written to").isEqualTo(original);
        Object more = server.readInbound();
        assertThat(more).isNull();
    }
}
