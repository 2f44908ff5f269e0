package online.cloudtolocalllm.tunnel.agent;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One agent operation, as the audit sink receives it.
 *
 * @param time when it was answered
 * @param side where it was recorded: the client (answering from the local agent) or the server (proxying to it)
 * @param user the tunnel user whose agent it is
 * @param peer who asked: the server (on the client side), or the local process or server code (on the server side)
 * @param operation what was asked
 * @param keyFingerprint the key concerned ({@code SHA256:...}), for signing and removing
 * @param result how it ended
 * @param detail more, such as the number of keys listed or why it was refused
 */
public record AgentAuditRecord(Instant time, Side side, String user, String peer, AgentOperation operation,
        @Nullable String keyFingerprint, Result result, String detail) {

    /** Where the record was made. */
    public enum Side {
        CLIENT,
        SERVER
    }

    /** How an operation ended. */
    public enum Result {
        /** The agent did it. */
        OK,
        /** The agent answered with a failure (an unknown key, say). */
        FAILED,
        /** The forwarding policy refused it; the agent never saw it. */
        REFUSED,
        /** The user's confirmation hook declined the signature. */
        DECLINED,
        /** The agent could not be reached or the conversation broke. */
        ERROR
    }

    public AgentAuditRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return time + " agent " + side.name().toLowerCase(java.util.Locale.ROOT) + " user=" + user + " peer=" + peer
                + " op=" + operation.shortName() + (keyFingerprint == null ? "" : " key=" + keyFingerprint) + " result="
                + result + (detail.isEmpty() ? "" : " - " + detail);
    }
}
