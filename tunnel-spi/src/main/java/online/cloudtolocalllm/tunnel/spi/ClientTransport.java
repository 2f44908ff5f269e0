package online.cloudtolocalllm.tunnel.spi;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Dials frame connections to a server. Thread-safe; one instance serves many connections. */
public interface ClientTransport extends AutoCloseable {

    /**
     * Connects to {@code uri} sending {@code headers} with the handshake. Fails with a
     * {@link online.cloudtolocalllm.tunnel.api.TunnelException} whose code says why (TUNNEL_002/003 for a refused
     * token, TUNNEL_004 for an unreachable server, TUNNEL_009 for a failed handshake).
     */
    CompletableFuture<FrameConnection> connect(URI uri, Map<String, String> headers);

    /** Releases the transport's threads and pools; open connections are not affected. */
    @Override
    void close();
}
