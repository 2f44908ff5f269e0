package online.cloudtolocalllm.tunnel.api;

import java.time.Instant;
import java.util.List;

/**
 * The server's view of one connected client.
 *
 * @param id the session id
 * @param user the authenticated user
 * @param remoteAddress the client's address as the server sees it
 * @param connectedAt when the session authenticated
 * @param services the services it exposes
 * @param metrics its counters
 * @param crypto the algorithms it negotiated at its latest key exchange
 */
public record TunnelSession(String id, String user, String remoteAddress, Instant connectedAt, List<String> services,
        TunnelMetrics metrics, SessionCrypto crypto) {

    public TunnelSession {
        services = List.copyOf(services);
    }
}
