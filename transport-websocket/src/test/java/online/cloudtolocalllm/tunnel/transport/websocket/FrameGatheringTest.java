package online.cloudtolocalllm.tunnel.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sends of one pass of the event loop leave as one frame, in order, up to the gathering limit; the peer's
 * decoder reads the same byte stream back.
 */
class FrameGatheringTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Random random = new Random(3);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void theSendsOfOnePassLeaveAsOneFrame() {
        WebSocketFrameConnection connection = new WebSocketFrameConnection(channel, Duration.ofMinutes(1), false);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();

        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int length : new int[] {120, 1300, 7, 900}) {
            sends.add(connection.send(ByteBuffer.wrap(bytes(length, sent))));
        }
        assertThat(sends).allMatch(CompletableFuture::isDone);
        Object early = channel.readOutbound();
        assertThat(early).as("nothing written before the pass's flush").isNull();
        channel.runPendingTasks();

        assertThat(framesReadBy(false)).containsExactly(sent.toByteArray());
    }

    @Test
    void aSendThatWouldPassTheLimitStartsTheNextFrame() {
        WebSocketFrameConnection connection = new WebSocketFrameConnection(channel, Duration.ofMinutes(1), true);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        ByteArrayOutputStream third = new ByteArrayOutputStream();

        connection.send(ByteBuffer.wrap(bytes(40_000, first)));
        connection.send(ByteBuffer.wrap(bytes(30_000, second)));
        connection.send(ByteBuffer.wrap(bytes(NettyFrameConnection.GATHER_LIMIT - 30_000, second)));
        connection.send(ByteBuffer.wrap(bytes(NettyFrameConnection.GATHER_LIMIT + 100, third)));
        channel.runPendingTasks();

        assertThat(framesReadBy(true)).containsExactly(first.toByteArray(), second.toByteArray(), third.toByteArray());
    }

    @Test
    void aCloseWritesWhatThePassGatheredFirst() {
        WebSocketFrameConnection connection = new WebSocketFrameConnection(channel, Duration.ofMinutes(1), false);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();

        connection.send(ByteBuffer.wrap(bytes(500, sent)));
        connection.close(CloseCodes.NORMAL, "done");
        channel.runPendingTasks();

        Object first = channel.readOutbound();
        try {
            assertThat(first).as("the gathered frame first").isInstanceOf(ByteBuf.class);
            ByteBuf data = (ByteBuf) first;
            assertThat(data.getByte(data.readerIndex()) & 0x0F).as("opcode: binary").isEqualTo(2);
        } finally {
            ReferenceCountUtil.release(first);
        }
        Object closeFrame = channel.readOutbound();
        assertThat(closeFrame).isInstanceOf(CloseWebSocketFrame.class);
        ReferenceCountUtil.release(closeFrame);
    }

    private byte[] bytes(int length, ByteArrayOutputStream record) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        record.writeBytes(bytes);
        return bytes;
    }

    /** The payloads of the frames written so far, as the peer's decoder reads them. */
    private List<byte[]> framesReadBy(boolean expectMasked) {
        EmbeddedChannel peer = new EmbeddedChannel(new WebSocket08FrameDecoder(expectMasked, false, 1 << 20));
        try {
            for (ByteBuf written; (written = channel.readOutbound()) != null; ) {
                peer.writeInbound(written);
            }
            List<byte[]> payloads = new ArrayList<>();
            for (BinaryWebSocketFrame frame; (frame = peer.readInbound()) != null; ) {
                payloads.add(ByteBufUtil.getBytes(frame.content()));
                frame.release();
            }
            return payloads;
        } finally {
            peer.finishAndReleaseAll();
        }
    }
}
