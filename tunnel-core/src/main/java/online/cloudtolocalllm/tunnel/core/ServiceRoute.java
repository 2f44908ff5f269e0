package online.cloudtolocalllm.tunnel.core;

import org.apache.sshd.server.session.ServerSession;
import org.jspecify.annotations.Nullable;

/**
 * A registered service: which session serves it, and the address and port its {@code tcpip-forward} named, which
 * go back in each {@code forwarded-tcpip} open so the client can match it to its forward.
 *
 * @param lane the client session's lane, or null for a client that announced none (one session per client)
 */
record ServiceRoute(String user, String service, ServerSession session, String bindAddress, int bindPort,
        @Nullable Lane lane) {

    /** Whether this route serves beside {@code other}: another session of the same client, in another lane. */
    boolean servesBeside(ServiceRoute other) {
        return lane != null && other.lane != null && session != other.session
                && lane.clientId().equals(other.lane.clientId()) && lane.index() != other.lane.index();
    }
}
