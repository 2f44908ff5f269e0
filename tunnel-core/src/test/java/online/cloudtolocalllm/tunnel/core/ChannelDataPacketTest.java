package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Data read straight into the packet that is sent: sshd's stream sends a whole packet from its own array, with the
 * channel header filled in where sshd's reader expects it, and copies a packet it splits like any other buffer.
 */
class ChannelDataPacketTest {
    private static final long RECIPIENT = 42;
    private static final Session SESSION = PacketDoubles.session();

    @Test
    void aPacketSentWholeIsSentFromItsOwnArrayWithTheChannelHeaderInPlace() throws Exception {
        byte[] data = bytes(1000);
        ChannelDataPacket packet = ChannelDataPacket.allocate(SESSION, 4096);
        byte[] array = packet.array();
        assertThat(packet.readFrom(new ByteArrayInputStream(data))).isEqualTo(data.length);

        Buffer sent = new EofOnCloseOutputStream(channel()).createSendBuffer(packet, channel(), data.length);

        assertThat(sent.array()).as("no copy into another array").isSameAs(array);
        assertThat(packet.available()).as("taken, as after sshd's own copy").isZero();
        assertThat(sent.rpos()).as("5 bytes left for the packet length and padding").isEqualTo(5);
        assertThat(sent.getUByte()).isEqualTo(SshConstants.SSH_MSG_CHANNEL_DATA);
        assertThat(sent.getUInt()).isEqualTo(RECIPIENT);
        assertThat(sent.getBytes()).isEqualTo(data);
        assertThat(sent.available()).isZero();
    }

    @Test
    void aPacketThatSshdSplitsIsCopiedPieceByPiece() throws Exception {
        byte[] data = bytes(1000);
        ChannelDataPacket packet = ChannelDataPacket.allocate(SESSION, data.length);
        packet.readFrom(new ByteArrayInputStream(data));

        Buffer first = new EofOnCloseOutputStream(channel()).createSendBuffer(packet, channel(), 300);

        assertThat(first).isNotSameAs(packet);
        assertThat(first.getUByte()).isEqualTo(SshConstants.SSH_MSG_CHANNEL_DATA);
        assertThat(first.getUInt()).isEqualTo(RECIPIENT);
        assertThat(first.getBytes()).isEqualTo(Arrays.copyOf(data, 300));
        assertThat(packet.getCompactData()).isEqualTo(Arrays.copyOfRange(data, 300, data.length));
    }

    @Test
    void aSentPacketResetIsFilledAndSentAgainFromTheSameArray() throws Exception {
        ChannelDataPacket packet = ChannelDataPacket.allocate(SESSION, 4096);
        byte[] array = packet.array();
        packet.readFrom(new ByteArrayInputStream(bytes(4096)));
        new EofOnCloseOutputStream(channel()).createSendBuffer(packet, channel(), 4096);
        Arrays.fill(array, (byte) 0x5A); // sshd encrypts the packet in place, command byte and header included

        byte[] next = bytes(2000);
        Arrays.fill(next, 0, 10, (byte) 1);
        assertThat(packet.reset().readFrom(new ByteArrayInputStream(next))).as("the whole room again").isEqualTo(2000);
        Buffer sent = new EofOnCloseOutputStream(channel()).createSendBuffer(packet, channel(), 2000);

        assertThat(sent.array()).isSameAs(array);
        assertThat(sent.getUByte()).isEqualTo(SshConstants.SSH_MSG_CHANNEL_DATA);
        assertThat(sent.getUInt()).isEqualTo(RECIPIENT);
        assertThat(sent.getBytes()).isEqualTo(next);
        assertThat(sent.available()).isZero();
    }

    @Test
    void takesFromABufferNoMoreThanItsRoomAndLeavesTheRestThere() throws Exception {
        byte[] data = bytes(150);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        ChannelDataPacket packet = ChannelDataPacket.allocate(SESSION, 100);

        packet.readFrom(direct);

        assertThat(direct.remaining()).as("what did not fit stays for the next packet").isEqualTo(50);
        Buffer sent = new EofOnCloseOutputStream(channel()).createSendBuffer(packet, channel(), 100);
        assertThat(sent.getUByte()).isEqualTo(SshConstants.SSH_MSG_CHANNEL_DATA);
        assertThat(sent.getUInt()).isEqualTo(RECIPIENT);
        assertThat(sent.getBytes()).isEqualTo(Arrays.copyOf(data, 100));
    }

    @Test
    void readsNoMoreThanItsRoomAndTellsTheEndOfTheStream() throws Exception {
        ChannelDataPacket packet = ChannelDataPacket.allocate(SESSION, 100);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes(150));

        assertThat(packet.readFrom(in)).isEqualTo(100);
        assertThat(packet.available()).isEqualTo(100);
        assertThat(ChannelDataPacket.allocate(SESSION, 100).readFrom(new ByteArrayInputStream(new byte[0]))).isEqualTo(-1);
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    private static EofOnCloseOutputStream.Channel channel() {
        return PacketDoubles.channel(SESSION, RECIPIENT, (proxy, method, args) -> null);
    }
}
