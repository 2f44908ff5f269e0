package online.cloudtolocalllm.tunnel.agent;

import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** Agent messages on a byte channel (a socket or a pipe): a uint32 length, then the message. Blocking. */
final class AgentFraming {
    /** The largest message accepted, as OpenSSH's agent limits it. */
    static final int MAX_MESSAGE = 256 * 1024;

    private AgentFraming() {
    }

    static void write(WritableByteChannel channel, byte[] message) throws IOException {
        ByteBuffer framed = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
        while (framed.hasRemaining()) {
            channel.write(framed);
        }
    }

    /** The next message; {@link EOFException} if the channel ends before one starts or in the middle of one. */
    static byte[] read(ReadableByteChannel channel) throws IOException {
        ByteBuffer length = ByteBuffer.allocate(4);
        fill(channel, length);
        int size = length.flip().getInt();
        if (size <= 0 || size > MAX_MESSAGE) {
            throw new StreamCorruptedException("Agent message of " + Integer.toUnsignedString(size) + " bytes (1 to "
                    + MAX_MESSAGE + " allowed)");
        }
        ByteBuffer message = ByteBuffer.allocate(size);
        fill(channel, message);
        return message.array();
    }

    private static void fill(ReadableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("The agent connection ended after " + buffer.position() + " of "
                        + buffer.capacity() + " bytes");
            }
        }
    }
}
