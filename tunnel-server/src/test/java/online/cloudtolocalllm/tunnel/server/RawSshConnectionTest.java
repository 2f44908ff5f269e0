package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** SSH straight on TCP keeps the frame connection's promise: a completed send leaves the sender's buffer free. */
class RawSshConnectionTest {

    @Test
    void whatIsWrittenIsItsOwnCopyOnceTheSendCompletes() {
        EmbeddedChannel channel = new EmbeddedChannel(); // keeps what is written, as an SslHandler does until its flush
        byte[] packet = "SSH packet bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] original = packet.clone();

        CompletableFuture<Void> sent = new RawSshConnection(channel, Duration.ofMinutes(1)).send(ByteBuffer.wrap(packet));
        channel.runPendingTasks();
        assertThat(sent).isCompleted();
        Arrays.fill(packet, (byte) 0);

        ByteBuf written = channel.readOutbound();
        try {
            assertThat(ByteBufUtil.getBytes(written)).isEqualTo(original);
        } finally {
            written.release();
            channel.finishAndReleaseAll();
        }
    }
}
