package online.cloudtolocalllm.tunnel.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * A byte channel over an agent reached one whole message at a time (Pageant's window): written bytes collect until
 * a framed request is complete, which is exchanged for a framed answer that reads then return.
 */
final class MessageExchangeChannel implements ByteChannel {
    /** Sends one framed request, returns the framed answer. */
    @FunctionalInterface
    interface Exchange {
        byte[] exchange(byte[] framedRequest) throws IOException;
    }

    private final Exchange exchange;
    private final ByteArrayOutputStream request = new ByteArrayOutputStream();
    private ByteBuffer answer = ByteBuffer.allocate(0);
    private boolean open = true;

    MessageExchangeChannel(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public synchronized int write(ByteBuffer source) throws IOException {
        requireOpen();
        int written = source.remaining();
        byte[] bytes = new byte[written];
        source.get(bytes);
        request.writeBytes(bytes);
        byte[] pending = request.toByteArray();
        if (pending.length >= 4) {
            int length = ByteBuffer.wrap(pending).getInt();
            if (length < 0 || length > AgentFraming.MAX_MESSAGE) {
                throw new IOException("Agent request of " + Integer.toUnsignedString(length) + " bytes");
            }
            if (pending.length >= 4 + length) {
                request.reset();
                answer = ByteBuffer.wrap(exchange.exchange(java.util.Arrays.copyOf(pending, 4 + length)));
            }
        }
        return written;
    }

    @Override
    public synchronized int read(ByteBuffer target) throws IOException {
        requireOpen();
        if (!answer.hasRemaining()) {
            return -1;
        }
        int n = Math.min(target.remaining(), answer.remaining());
        target.put(target.position(), answer, answer.position(), n);
        target.position(target.position() + n);
        answer.position(answer.position() + n);
        return n;
    }

    private void requireOpen() throws IOException {
        if (!open) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        open = false;
    }
}
