package online.cloudtolocalllm.tunnel.api;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The cloud endpoint: accepts tunnel clients, authenticates them, and reaches the services they expose through
 * HTTP ingress, TCP listeners or {@link #openStream}.
 *
 * <pre>{@code
 * TunnelServer server = TunnelServer.create(TunnelServerConfig.builder()
 *         .listen("0.0.0.0", 8080).dataDir(Path.of("/var/lib/tunnel")).jwtSecret(secret)
 *         .build());
 * server.start().join();
 * }</pre>
 */
public interface TunnelServer extends TunnelEndpoint {

    /** A new, not yet started server, made by the runtime on the path ({@code tunnel-core}). */
    static TunnelServer create(TunnelServerConfig config) {
        return TunnelRuntime.load().newServer(config);
    }

    /** The configuration this server was built from. */
    TunnelServerConfig config();

    /** Loads or creates the host key and, if a listen address is configured, starts listening. */
    CompletableFuture<TunnelServer> start();

    /** The address actually bound, once started with a listen address. */
    Optional<InetSocketAddress> address();

    /** The SHA-256 fingerprint of the host key, as clients pin it ({@code SHA256:...}). */
    String hostKeyFingerprint();

    /**
     * Opens a stream to {@code service} of {@code user}'s tunnel. Fails with {@link ErrorCode#NOT_FOUND} if no such
     * service is registered and {@link ErrorCode#CONNECTION_REFUSED} if the client cannot reach it.
     */
    CompletableFuture<TunnelStream> openStream(String user, String service);

    /** The sessions connected now. */
    List<TunnelSession> sessions();

    /** Whether a session connected now exposes {@code service} of {@code user}'s tunnel. */
    default boolean exposes(String user, String service) {
        return sessions().stream().anyMatch(session -> session.user().equals(user) && session.services().contains(service));
    }

    /**
     * The agent that {@code user}'s tunnel forwards now (its latest session's), if any. It is empty unless the
     * server allows agent forwarding ({@link TunnelServerConfig#agentForwardingAllowed()}) and the client asked for it.
     */
    default Optional<ForwardedAgent> forwardedAgent(String user) {
        return Optional.empty();
    }
}
