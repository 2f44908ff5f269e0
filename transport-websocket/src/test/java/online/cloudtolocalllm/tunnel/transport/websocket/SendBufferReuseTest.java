package online.cloudtolocalllm.tunnel.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code FrameConnection.send}'s promise: once the send completes the sender may reuse its buffer, although the bytes
 * may still wait in the pipeline (an {@code SslHandler} keeps what it is given until the flush; the embedded channel
 * here keeps everything written).
 */
class SendBufferReuseTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final byte[] packet = new byte[32_768];
    private final byte[] original;

    SendBufferReuseTest() {
        new Random(1).nextBytes(packet);
        original = packet.clone();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aServersFrameIsItsOwnCopyOnceTheSendCompletes() {
        sendThenReuse(new WebSocketFrameConnection(channel, Duration.ofMinutes(1), false));

        ByteBuf frame = channel.readOutbound();
        try {
            byte[] wire = ByteBufUtil.getBytes(frame);
            int header = 2 + 2; // FIN+opcode, 126, a 16-bit length; no mask
            assertThat(Arrays.copyOfRange(wire, header, wire.length)).isEqualTo(original);
        } finally {
            frame.release();
        }
    }

    @Test
    void aClientsMaskedFrameIsItsOwnCopyOnceTheSendCompletes() {
        sendThenReuse(new WebSocketFrameConnection(channel, Duration.ofMinutes(1), true));

        ByteBuf frame = channel.readOutbound();
        try {
            byte[] wire = ByteBufUtil.getBytes(frame);
            int mask = 2 + 2; // FIN+opcode, 126, a 16-bit length
            byte[] payload = new byte[packet.length];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (wire[mask + 4 + i] ^ wire[mask + (i & 3)]);
            }
            assertThat(payload).isEqualTo(original);
        } finally {
            frame.release();
        }
    }

    private void sendThenReuse(WebSocketFrameConnection connection) {
        CompletableFuture<Void> sent = connection.send(ByteBuffer.wrap(packet));
        channel.runPendingTasks();
        assertThat(sent).isCompleted();
        Arrays.fill(packet, (byte) 0);
    }
}
