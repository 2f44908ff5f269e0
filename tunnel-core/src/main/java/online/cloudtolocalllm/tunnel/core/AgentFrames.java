package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Cuts agent protocol messages (a uint32 length, then that many bytes) out of a channel's data as it arrives. */
final class AgentFrames {
    /** The largest message accepted, as OpenSSH's agent limits it. */
    static final int MAX_MESSAGE = 256 * 1024;

    private byte[] pending = new byte[0];

    /** Adds {@code data} and returns the messages it completed, without their length prefix. */
    List<byte[]> add(byte[] data, int offset, int length) throws IOException {
        byte[] joined = Arrays.copyOf(pending, pending.length + length);
        System.arraycopy(data, offset, joined, pending.length, length);
        List<byte[]> messages = new ArrayList<>(1);
        int position = 0;
        while (joined.length - position >= 4) {
            int size = ByteBuffer.wrap(joined, position, 4).getInt();
            if (size <= 0 || size > MAX_MESSAGE) {
                throw new StreamCorruptedException("Agent message of " + Integer.toUnsignedString(size)
                        + " bytes (1 to " + MAX_MESSAGE + " allowed)");
            }
            if (joined.length - position - 4 < size) {
                break;
            }
            messages.add(Arrays.copyOfRange(joined, position + 4, position + 4 + size));
            position += 4 + size;
        }
        pending = Arrays.copyOfRange(joined, position, joined.length);
        return messages;
    }

    /** {@code message} with its length prefix. */
    static byte[] frame(byte[] message) {
        return ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).array();
    }
}
