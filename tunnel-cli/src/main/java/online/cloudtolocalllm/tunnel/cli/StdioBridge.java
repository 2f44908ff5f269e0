package online.cloudtolocalllm.tunnel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.FrameHandler;
import org.jspecify.annotations.Nullable;

/**
 * Joins a byte stream pair (standard input and output) to a frame connection: input goes out in frames of at most
 * {@link #MAX_FRAME} bytes, one at a time, and each received frame is written and flushed. It ends when either side
 * does. Only frame bytes are ever written to the output; messages go to the error writer.
 */
final class StdioBridge {
    /** The largest frame sent; well under the server's frame limit and one SSH packet's worth. */
    static final int MAX_FRAME = 32 * 1024;

    private final InputStream in;
    private final OutputStream out;
    private final PrintWriter err;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicBoolean ending = new AtomicBoolean();
    private volatile int exitCode;

    StdioBridge(InputStream in, OutputStream out, PrintWriter err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** Bridges until either side ends; returns 0 for a clean end (input closed, normal closure), else 1. */
    int run(FrameConnection connection) throws InterruptedException {
        connection.start(new ToOutput(connection));
        Thread.ofPlatform().daemon().name("stdin-to-tunnel").start(() -> pumpInput(connection));
        ended.await();
        return exitCode;
    }

    /** Sends input in frames, waiting for each send so that a slow connection holds input back. */
    private void pumpInput(FrameConnection connection) {
        byte[] buffer = new byte[MAX_FRAME];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (n > 0) {
                    connection.send(ByteBuffer.wrap(buffer, 0, n)).get();
                }
            }
            connection.close(CloseCodes.NORMAL, "input ended");
            end(0, null);
        } catch (IOException e) {
            connection.close(CloseCodes.GOING_AWAY, "input failed");
            end(1, "cannot read standard input: " + e.getMessage());
        } catch (ExecutionException e) {
            end(1, "cannot send to the tunnel: " + Failures.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.close(CloseCodes.GOING_AWAY, "interrupted");
            end(1, "interrupted");
        }
    }

    private void end(int code, @Nullable String message) {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        if (message != null) {
            err.println("tunnel connect: " + message);
            err.flush();
        }
        exitCode = code;
        ended.countDown();
    }

    /** Writes received frames to the output. */
    private final class ToOutput implements FrameHandler {
        private final FrameConnection connection;
        private final byte[] copy = new byte[MAX_FRAME];

        ToOutput(FrameConnection connection) {
            this.connection = connection;
        }

        @Override
        public void onFrame(ByteBuffer frame) {
            try {
                if (frame.hasArray()) {
                    out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
                } else {
                    while (frame.hasRemaining()) {
                        int n = Math.min(copy.length, frame.remaining());
                        frame.get(copy, 0, n);
                        out.write(copy, 0, n);
                    }
                }
                out.flush();
            } catch (IOException e) {
                connection.close(CloseCodes.GOING_AWAY, "output closed");
                end(1, "cannot write standard output: " + e.getMessage());
            }
        }

        @Override
        public void onClosed(int code, String reason) {
            if (code == CloseCodes.NORMAL) {
                end(0, null);
            } else {
                end(1, "connection closed (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
            }
        }
    }
}
