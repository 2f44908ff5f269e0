package online.cloudtolocalllm.tunnel.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a tunnel: a client state transition, or a session or service change on the server.
 *
 * @param type what happened
 * @param time when it happened
 * @param endpoint the server URI (client side) or the peer's address (server side)
 * @param user the tunnel's user, when known
 * @param service the service concerned, for service events
 * @param detail a human-readable description
 * @param cause the failure behind it, if any
 * @param attempt the connection attempt number, for client events (1-based; 0 when not applicable)
 * @param retryIn the delay before the next attempt, for {@link Type#RECONNECTING}
 */
public record TunnelEvent(
        Type type,
        Instant time,
        String endpoint,
        @Nullable String user,
        @Nullable String service,
        String detail,
        @Nullable Throwable cause,
        int attempt,
        @Nullable Duration retryIn) {

    /** The kinds of event. */
    public enum Type {
        /** Client: dialling, authenticating and registering. */
        CONNECTING,
        /** Client: connected with every service registered. Server: a session authenticated. */
        CONNECTED,
        /** Client: waiting {@link #retryIn()} before the next attempt. */
        RECONNECTING,
        /** Client: the connection was lost. Server: a session ended. */
        DISCONNECTED,
        /** Client: gave up (see {@link #cause()}). Server: a connection was refused. */
        FAILED,
        /** Client: shut down by the application. */
        CLOSED,
        /** Server: a client registered a service. */
        SERVICE_REGISTERED,
        /** Server: a service went away (cancelled, or its session ended). */
        SERVICE_UNREGISTERED,
        /** Client: the server accepted agent forwarding. Server: a session started forwarding its user's agent. */
        AGENT_FORWARDED,
        /** Server: a session's agent forwarding ended (its session channel or the session closed). */
        AGENT_FORWARDING_ENDED,
        /**
         * Agent forwarding could not work (see {@link #cause()}, a {@link TunnelException} with an {@code AGENT_*}
         * code or {@link ErrorCode#AGENT_FORWARDING_FORBIDDEN}); the tunnel itself stays up.
         */
        AGENT_FORWARDING_FAILED,
        /**
         * Client: the server announced that it is shutting down; its open streams may finish, new work should go
         * elsewhere. A failover client moves to another endpoint before letting this session go.
         */
        DRAINING,
        /**
         * Failover client: the tunnel moved to another endpoint (the detail names the cause, both endpoints and the
         * time it took).
         */
        FAILOVER,
        /** Failover client: the tunnel moved back to a preferred endpoint that has been healthy long enough. */
        FAILBACK,
        /** Failover client: an endpoint passed its health check after failing it (or on its first check). */
        ENDPOINT_UP,
        /** Failover client: an endpoint failed its health check, its connection was lost, or it is draining. */
        ENDPOINT_DOWN,
        /**
         * Client and server: a key exchange completed, the first one or a rekey; the detail names the algorithms
         * (see {@link SessionCrypto}).
         */
        KEY_EXCHANGED,
        /**
         * Client and server: a key exchange failed, for want of a common algorithm say (the detail names both offers);
         * a {@link #FAILED} event follows.
         */
        KEY_EXCHANGE_FAILED,
        /**
         * Client: the server's host key is not trusted by the client's host-key policy, or keys it announced were not
         * learned because it did not prove it holds them (the detail says which and why).
         */
        HOST_KEY_REFUSED,
        /** Server: a successor host key was generated and announced to the live sessions (the detail has fingerprints). */
        HOST_KEY_ANNOUNCED,
        /** Server: the announced successor became the presented host key and the old one retired. */
        HOST_KEY_ROTATED,
        /** Client: the server proved it holds new host keys, which the client now trusts (the detail has fingerprints). */
        HOST_KEYS_LEARNED,
        /**
         * Client and server: the crypto policy was refused before anything connected (the detail says why: an algorithm
         * the {@code fips} profile does not approve, an unknown profile or algorithm); the endpoint does not start.
         */
        CRYPTO_REFUSED
    }

    public TunnelEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(time).append(' ').append(type).append(' ').append(endpoint);
        if (user != null) {
            text.append(" user=").append(user);
        }
        if (service != null) {
            text.append(" service=").append(service);
        }
        if (attempt > 0) {
            text.append(" attempt=").append(attempt);
        }
        if (retryIn != null) {
            text.append(" retryIn=").append(retryIn.toMillis()).append("ms");
        }
        if (!detail.isEmpty()) {
            text.append(" - ").append(detail);
        }
        return text.toString();
    }
}
