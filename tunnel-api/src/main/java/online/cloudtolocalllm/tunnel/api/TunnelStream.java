package online.cloudtolocalllm.tunnel.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A byte stream through the tunnel: to a client's service (server side) or to a target the server allows
 * (client side). Read it either with {@link #receive} (asynchronous, for event loops) or with
 * {@link #inputStream()} (blocking, for plain threads), not both.
 */
public interface TunnelStream extends AutoCloseable {

    /**
     * Sends bytes, in call order; they are copied before this returns, so {@code data} may be reused at once. The
     * future completes when the tunnel has taken them: wait for it (or keep only a few writes in flight) before
     * writing more, which is how back-pressure reaches the caller.
     */
    CompletableFuture<Void> write(ByteBuffer data);

    /** Signals end of output (the peer reads end of stream); reading goes on. */
    CompletableFuture<Void> shutdownOutput();

    /** Starts pushing received bytes to {@code receiver}. */
    void receive(StreamReceiver receiver);

    /** A blocking view of the received bytes. */
    InputStream inputStream();

    /** A blocking view of {@link #write}; closing it calls {@link #shutdownOutput()}. */
    OutputStream outputStream();

    /** Closes both directions at once. */
    @Override
    void close();

    /** Completes when the stream is closed, by either side. */
    CompletableFuture<Void> closeFuture();
}
