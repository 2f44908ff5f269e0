package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.sshd.common.PropertyResolver;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.IoWriteFutureImpl;
import org.apache.sshd.common.channel.RemoteWindow;
import org.apache.sshd.common.channel.throttle.DefaultChannelStreamWriter;
import org.apache.sshd.common.io.AbstractIoWriteFuture;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.Test;

/**
 * A whole data packet the peer's window takes goes straight to the channel, without sshd's own future; one it does not
 * take goes sshd's way, sent as the window opens; a closed stream refuses writes as sshd's does.
 */
class EofOnCloseOutputStreamTest {
    private static final long RECIPIENT = 7;
    private static final int PACKET_SIZE = 32 * 1024;

    private final Session session = PacketDoubles.session();
    private final List<Buffer> sent = new ArrayList<>();
    private final RemoteWindow window;
    private final EofOnCloseOutputStream.Channel channel;

    EofOnCloseOutputStreamTest() {
        channel = channel();
        window = new RemoteWindow(channel, false);
    }

    @Test
    void aPacketTheWindowTakesGoesStraightToTheChannel() throws Exception {
        window.init(10_000, PACKET_SIZE, PropertyResolver.EMPTY);
        EofOnCloseOutputStream out = new EofOnCloseOutputStream(channel);

        IoWriteFuture first = out.writeBuffer(packet(1000, 1));
        IoWriteFuture second = out.writeBuffer(packet(500, 2));

        assertThat(first).as("the channel's own write, no future of sshd's around it").isNotInstanceOf(IoWriteFutureImpl.class);
        assertThat(first.isWritten()).isTrue();
        assertThat(second.isWritten()).isTrue();
        assertThat(window.getSize()).as("window taken by both").isEqualTo(10_000 - 1500);
        assertThat(sent).hasSize(2);
        assertPacket(sent.get(0), 1000, 1);
        assertPacket(sent.get(1), 500, 2);
    }

    @Test
    void aPacketLargerThanTheWindowTakesSshdsWayAndWaitsForTheRest() throws Exception {
        window.init(600, PACKET_SIZE, PropertyResolver.EMPTY);
        EofOnCloseOutputStream out = new EofOnCloseOutputStream(channel);

        IoWriteFuture waiting = out.writeBuffer(packet(1000, 3));

        assertThat(waiting).isInstanceOf(IoWriteFutureImpl.class);
        assertThat(waiting.isDone()).as("400 bytes wait for window").isFalse();
        assertThat(sent).hasSize(1);
        assertPacket(sent.getFirst(), 600, 3);

        window.expand(1000);
        out.onWindowExpanded();

        assertThat(waiting.isWritten()).isTrue();
        assertThat(sent).hasSize(2);
        assertPacket(sent.get(1), 400, 3);
        assertThat(window.getSize()).isEqualTo(600);
    }

    @Test
    void aClosedStreamRefusesAPacketTheWindowWouldTake() throws Exception {
        window.init(10_000, PACKET_SIZE, PropertyResolver.EMPTY);
        EofOnCloseOutputStream out = new EofOnCloseOutputStream(channel);
        out.close(true);

        assertThatThrownBy(() -> out.writeBuffer(packet(100, 4))).isInstanceOf(EOFException.class);
        assertThat(sent).isEmpty();
        assertThat(window.getSize()).isEqualTo(10_000);
    }

    private ChannelDataPacket packet(int length, int fill) {
        ChannelDataPacket packet = ChannelDataPacket.allocate(session, length);
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) fill);
        packet.readFrom(ByteBuffer.wrap(data));
        return packet;
    }

    private static void assertPacket(Buffer packet, int length, int fill) {
        assertThat(packet.getUByte()).isEqualTo(SshConstants.SSH_MSG_CHANNEL_DATA);
        assertThat(packet.getUInt()).isEqualTo(RECIPIENT);
        byte[] data = packet.getBytes();
        assertThat(data).hasSize(length).containsOnly((byte) fill);
    }

    /** A channel whose packets are kept, each written at once; its remote window is {@link #window}. */
    private EofOnCloseOutputStream.Channel channel() {
        return PacketDoubles.channel(session, RECIPIENT, (proxy, method, args) -> switch (method.getName()) {
            case "getRemoteWindow" -> window;
            case "resolveChannelStreamWriter" -> new DefaultChannelStreamWriter((EofOnCloseOutputStream.Channel) proxy);
            case "writePacket" -> {
                sent.add(new ByteArrayBuffer(((Buffer) args[0]).getCompactData()));
                yield AbstractIoWriteFuture.fulfilled(RECIPIENT, Boolean.TRUE);
            }
            default -> null;
        });
    }
}
