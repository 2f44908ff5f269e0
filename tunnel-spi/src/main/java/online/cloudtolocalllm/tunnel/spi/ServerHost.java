package online.cloudtolocalllm.tunnel.spi;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** Listens on the server's port and feeds tunnel connections and ingress requests to the server. */
public interface ServerHost {

    /** Binds and starts accepting; completes with the bound address. */
    CompletableFuture<InetSocketAddress> start();

    /** Stops accepting new connections and requests; connections already open go on. */
    void stopAccepting();

    /** Closes every listener and connection; completes when done. */
    CompletableFuture<Void> close();
}
