package online.cloudtolocalllm.tunnel.api;

import java.time.Duration;

/** What both ends of a tunnel share: counters, events and a lifecycle like a gRPC channel's. */
public interface TunnelEndpoint extends AutoCloseable {

    /** Counters since start, over all connections. */
    TunnelMetrics metrics();

    /** Adds a listener for events from now on. */
    void addListener(TunnelListener listener);

    /** Stops accepting new work, lets open streams finish up to {@link #shutdownTimeout()}, then closes. */
    void shutdown();

    /** Closes at once, cutting open streams. */
    void shutdownNow();

    boolean awaitTermination(Duration timeout) throws InterruptedException;

    boolean isTerminated();

    /** How long {@link #shutdown()} lets open streams run. */
    Duration shutdownTimeout();

    /** {@link #shutdown()} and wait for it; {@link #shutdownNow()} if interrupted. */
    @Override
    default void close() {
        shutdown();
        try {
            awaitTermination(shutdownTimeout().plusSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdownNow();
        }
    }
}
