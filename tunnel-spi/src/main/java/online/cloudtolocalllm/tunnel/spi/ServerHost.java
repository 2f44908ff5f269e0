package online.cloudtolocalllm.tunnel.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Listens on the server's port and feeds tunnel connections and ingress requests to the server. */
public interface ServerHost {

    /** Binds and starts accepting; completes with the bound address. */
    CompletableFuture<InetSocketAddress> start();

    /** Stops accepting new connections and requests; connections already open go on. */
    void stopAccepting();

    /** Closes every listener and connection; completes when done. */
    CompletableFuture<Void> close();

    /**
     * Listens on {@code address} for one of the server's TCP listeners, on this host's I/O threads, and hands each
     * connection it accepts to {@code accepted} on that connection's I/O thread. The result stops listening when
     * closed; empty if this host does not listen for others (the server then listens itself).
     *
     * @throws IOException if {@code address} cannot be bound
     */
    default Optional<AutoCloseable> listenTcp(InetSocketAddress address, Consumer<AcceptedConnection> accepted)
            throws IOException {
        return Optional.empty();
    }
}
