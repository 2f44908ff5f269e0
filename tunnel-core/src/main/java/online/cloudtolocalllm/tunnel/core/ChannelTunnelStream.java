package online.cloudtolocalllm.tunnel.core;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import online.cloudtolocalllm.tunnel.api.StreamReceiver;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.jspecify.annotations.Nullable;

/**
 * {@link TunnelStream} over a {@link StreamChannel}. Received bytes go to one {@link StreamReceiver} (bytes that
 * arrive before it is set wait here, bounded by the channel window); window is given back only when the receiver
 * is done with them. Writes are queued in order, each waiting for the remote window.
 */
final class ChannelTunnelStream implements TunnelStream {
    private final StreamChannel channel;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Object receiveLock = new Object();
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    private @Nullable StreamReceiver receiver;
    private boolean ended;
    private boolean finished;
    private final Object writeLock = new Object();
    private CompletableFuture<Void> writes = CompletableFuture.completedFuture(null);

    ChannelTunnelStream(StreamChannel channel) {
        this.channel = channel;
    }

    // ---- receiving, called by the channel on the transport's thread, in order

    void onData(byte[] data, int offset, int length) {
        synchronized (receiveLock) {
            if (receiver == null) {
                byte[] copy = new byte[length];
                System.arraycopy(data, offset, copy, 0, length);
                early.add(copy);
                return;
            }
            receiver.onData(ByteBuffer.wrap(data, offset, length), () -> channel.release(length));
        }
    }

    void onEof() {
        synchronized (receiveLock) {
            ended = true;
            if (receiver != null && !finished) {
                finished = true;
                receiver.onEnd();
            }
        }
    }

    void onClosed() {
        synchronized (receiveLock) {
            if (receiver != null && !finished) {
                finished = true;
                receiver.onError(new EOFException("Stream closed before its end"));
            }
        }
        closed.complete(null);
    }

    @Override
    public void receive(StreamReceiver newReceiver) {
        synchronized (receiveLock) {
            if (receiver != null) {
                throw new IllegalStateException("This stream already has a receiver");
            }
            receiver = newReceiver;
            for (byte[] chunk; (chunk = early.poll()) != null; ) {
                int length = chunk.length;
                newReceiver.onData(ByteBuffer.wrap(chunk), () -> channel.release(length));
            }
            if (ended) {
                finished = true;
                newReceiver.onEnd();
            } else if (closed.isDone()) {
                finished = true;
                newReceiver.onError(new EOFException("Stream closed before its end"));
            }
        }
    }

    @Override
    public InputStream inputStream() {
        StreamInputStream input = new StreamInputStream();
        receive(input);
        return input;
    }

    // ---- sending

    /** Copies {@code data} straight into data packets (as many as the peer's packet size needs) and sends them. */
    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        CompletableFuture<Void> sent;
        do {
            ChannelDataPacket packet = newPacket(data.remaining());
            packet.readFrom(data);
            sent = write(packet);
        } while (data.hasRemaining());
        return sent;
    }

    /**
     * An empty data packet with room for {@code capacity} bytes, or for as many as the peer takes in one packet if that
     * is less, to fill and {@link #write(ChannelDataPacket)}.
     */
    ChannelDataPacket newPacket(int capacity) {
        long peerLimit = channel.getRemoteWindow().getPacketSize();
        return ChannelDataPacket.allocate(channel.getSession(), (int) Math.min(capacity, peerLimit));
    }

    /**
     * Sends the data of {@code packet} without copying it. The caller may {@link ChannelDataPacket#reset} and fill the
     * packet again once the future completes: by then the frame connection holds no reference to its bytes.
     */
    CompletableFuture<Void> write(ChannelDataPacket packet) {
        return enqueue(() -> send(packet));
    }

    @Override
    public CompletableFuture<Void> shutdownOutput() {
        return enqueue(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            IoOutputStream out = channel.getAsyncIn();
            if (out == null) {
                done.complete(null);
            } else {
                out.close(false).addListener(f -> done.complete(null));
            }
            return done;
        });
    }

    /** Runs {@code operation} once every earlier one completed: now if none is pending (no future is chained then). */
    private CompletableFuture<Void> enqueue(Supplier<CompletableFuture<Void>> operation) {
        synchronized (writeLock) {
            writes = writes.isDone() && !writes.isCompletedExceptionally()
                    ? operation.get() : writes.thenCompose(ignored -> operation.get());
            return writes;
        }
    }

    private CompletableFuture<Void> send(Buffer bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        IoOutputStream out = channel.getAsyncIn();
        if (out == null || channel.isClosing()) {
            done.completeExceptionally(new EOFException("Stream is closed"));
            return done;
        }
        try {
            // as an sshd-internal thread: during a key exchange the packet is queued, never blocking the caller
            // (an event loop, perhaps the very one that must carry the key exchange)
            ThreadUtils.runAsInternal(bytes, out::writeBuffer).addListener(f -> {
                Throwable failure = f.getException();
                if (failure == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure);
                }
            });
        } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                await(ChannelTunnelStream.this.write(ByteBuffer.wrap(b, off, len)));
            }

            @Override
            public void close() throws IOException {
                await(shutdownOutput());
            }
        };
    }

    private static void await(CompletableFuture<Void> future) throws IOException {
        try {
            future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    @Override
    public void close() {
        channel.close(false);
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed.copy();
    }

    @Override
    public String toString() {
        return "TunnelStream[" + channel + "]";
    }
}
