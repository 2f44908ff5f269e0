package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import online.cloudtolocalllm.tunnel.api.StreamReceiver;
import org.jspecify.annotations.Nullable;

/** A blocking {@link InputStream} fed by a stream's receiver; window is released as the reader consumes bytes. */
final class StreamInputStream extends InputStream implements StreamReceiver {
    private static final Chunk END = new Chunk(new byte[0], () -> { }, null);

    private final LinkedBlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
    private @Nullable Chunk current;
    private int position;
    private boolean atEnd;

    private record Chunk(byte[] bytes, Runnable done, @Nullable Throwable failure) {
    }

    @Override
    public void onData(ByteBuffer data, Runnable done) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        chunks.add(new Chunk(bytes, done, null));
    }

    @Override
    public void onEnd() {
        chunks.add(END);
    }

    @Override
    public void onError(Throwable failure) {
        chunks.add(new Chunk(new byte[0], () -> { }, failure));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        Chunk chunk = take();
        if (chunk == null) {
            return -1;
        }
        int n = Math.min(len, chunk.bytes.length - position);
        System.arraycopy(chunk.bytes, position, b, off, n);
        position += n;
        if (position == chunk.bytes.length) {
            current = null;
            chunk.done.run();
        }
        return n;
    }

    private @Nullable Chunk take() throws IOException {
        while (current == null) {
            if (atEnd) {
                return null;
            }
            Chunk next;
            try {
                next = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while reading a tunnel stream");
            }
            if (next == END) {
                atEnd = true;
                return null;
            }
            if (next.failure != null) {
                atEnd = true;
                throw next.failure instanceof IOException io ? io : new IOException(next.failure);
            }
            if (next.bytes.length > 0) {
                current = next;
                position = 0;
            } else {
                next.done.run();
            }
        }
        return current;
    }

    @Override
    public int available() {
        Chunk chunk = current;
        return chunk == null ? 0 : chunk.bytes.length - position;
    }
}
