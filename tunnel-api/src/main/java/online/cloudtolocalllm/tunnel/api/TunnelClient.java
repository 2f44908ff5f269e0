package online.cloudtolocalllm.tunnel.api;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The endpoint beside a private service: dials out to a {@link TunnelServer}, registers the services it exposes,
 * keeps the connection alive and reconnects when it drops.
 *
 * <pre>{@code
 * TunnelClient client = TunnelClient.create(TunnelClientConfig.builder()
 *         .server("ws://tunnel.example.com:8080").token(jwt)
 *         .hostKeys(HostKeyPolicy.pinned("SHA256:..."))
 *         .expose("llm", "127.0.0.1", 11434)
 *         .build());
 * client.start().join();
 * }</pre>
 */
public interface TunnelClient extends TunnelEndpoint {

    /** A new, not yet started client, made by the runtime on the path ({@code tunnel-core}). */
    static TunnelClient create(TunnelClientConfig config) {
        return TunnelRuntime.load().newClient(config);
    }

    /** The configuration this client was built from. */
    TunnelClientConfig config();

    /**
     * Connects and keeps reconnecting until shut down. The future completes when the first connection is up with
     * every service registered, or fails if the client gives up ({@link TunnelState#FAILED}).
     */
    CompletableFuture<TunnelClient> start();

    TunnelState state();

    /** The algorithms the current connection negotiated; empty while not connected. */
    Optional<SessionCrypto> crypto();

    /** Opens a forward stream to {@code host:port} as seen from the server, if its policy allows that target. */
    CompletableFuture<TunnelStream> openStream(String host, int port);
}
