package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * An {@code SSH_MSG_CHANNEL_DATA} packet built around its data: bytes are read straight into the array that is then
 * encrypted and sent, instead of into an array that sshd copies into a packet. Between its read and write
 * positions it holds just the data, so sshd can take it as any buffer; when sshd sends it in one piece,
 * {@link #seal} fills in the channel header in place ({@link EofOnCloseOutputStream}).
 */
final class ChannelDataPacket extends ByteArrayBuffer {
    /** The recipient channel and the data length, between the command byte and the data. */
    private static final int CHANNEL_HEADER = 2 * Integer.BYTES;

    private final int payloadStart;
    private final int limit;

    private ChannelDataPacket(byte[] array, int payloadStart, int capacity) {
        super(array, payloadStart + 1 + CHANNEL_HEADER, 0, false);
        this.payloadStart = payloadStart;
        this.limit = wpos() + capacity;
    }

    /**
     * An empty packet of {@code session} with room for {@code capacity} bytes of data, sized by the session for the
     * padding and tag its cipher adds, so sending it allocates nothing more.
     */
    static ChannelDataPacket allocate(Session session, int capacity) {
        Buffer prepared = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_DATA, capacity + CHANNEL_HEADER);
        return new ChannelDataPacket(prepared.array(), prepared.rpos(), capacity);
    }

    /**
     * Empties this packet after it was sent, to be filled and sent again: its array no longer holds the channel header
     * or the command byte (sshd encrypted them in place), so the command byte is written again.
     */
    ChannelDataPacket reset() {
        array()[payloadStart] = SshConstants.SSH_MSG_CHANNEL_DATA;
        rpos(payloadStart + 1 + CHANNEL_HEADER);
        wpos(payloadStart + 1 + CHANNEL_HEADER);
        return this;
    }

    /** How many bytes of data this packet holds when full. */
    int dataCapacity() {
        return limit - (payloadStart + 1 + CHANNEL_HEADER);
    }

    /** Reads once from {@code in} into the room left: the count read, or -1 at end of stream. */
    int readFrom(InputStream in) throws IOException {
        int read = in.read(array(), wpos(), limit - wpos());
        if (read > 0) {
            wpos(wpos() + read);
        }
        return read;
    }

    /** Copies as much of {@code data} as there is room left for. */
    void readFrom(ByteBuffer data) {
        int count = Math.min(data.remaining(), limit - wpos());
        data.get(array(), wpos(), count);
        wpos(wpos() + count);
    }

    /**
     * Fills in the channel header for sending the whole data to {@code recipient} and returns the packet to send: a
     * view of this array from the command byte to the end of the data, as sshd's own packets are. This buffer is left
     * with nothing to read, as sshd's copy would leave it.
     */
    Buffer seal(long recipient) {
        int end = wpos();
        int length = available();
        wpos(payloadStart + 1);
        putUInt(recipient);
        putUInt(length);
        wpos(end);
        rpos(end);
        return new ByteArrayBuffer(array(), payloadStart, end - payloadStart, true);
    }
}
