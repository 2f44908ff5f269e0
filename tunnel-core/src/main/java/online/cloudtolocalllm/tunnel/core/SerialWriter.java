package online.cloudtolocalllm.tunnel.core;

import java.util.concurrent.CompletableFuture;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.threads.ThreadUtils;

/** Writes to a channel's asynchronous stream one buffer at a time, in call order (it takes one pending write). */
final class SerialWriter {
    private final ChannelAsyncOutputStream out;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    SerialWriter(ChannelAsyncOutputStream out) {
        this.out = out;
    }

    synchronized CompletableFuture<Void> write(byte[] bytes) {
        tail = tail.thenCompose(previous -> send(bytes));
        return tail;
    }

    private CompletableFuture<Void> send(byte[] bytes) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        try {
            // queued rather than blocking the caller while a key exchange runs (see ChannelTunnelStream)
            ThreadUtils.runAsInternal(new ByteArrayBuffer(bytes), out::writeBuffer).addListener(f -> {
                if (f.isWritten()) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(f.getException() != null ? f.getException()
                            : new java.io.EOFException("channel closed"));
                }
            });
        } catch (java.io.IOException | RuntimeException e) {
            written.completeExceptionally(e);
        }
        return written;
    }
}
