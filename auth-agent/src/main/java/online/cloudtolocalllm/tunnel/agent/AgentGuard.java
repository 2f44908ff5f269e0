package online.cloudtolocalllm.tunnel.agent;

import java.time.Clock;
import java.util.Objects;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import org.jspecify.annotations.Nullable;

/**
 * What one side checks and records on every conversation it forwards.
 *
 * @param policy the operations that pass
 * @param audit where each operation is recorded
 * @param confirmation asked before each signature, if set (client side)
 * @param clock the time of records and of idleness
 * @param side the side recording
 */
record AgentGuard(AgentPolicy policy, AgentAudit audit, @Nullable SignatureConfirmation confirmation, Clock clock,
        AgentAuditRecord.Side side) {

    AgentGuard {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(side, "side");
    }

    /** {@code inner} behind these checks, for {@code user}'s agent asked by {@code peer}, closed when idle. */
    GuardedConnection wrap(AgentConnection inner, String user, String peer, IdleMonitor idle) {
        GuardedConnection guarded = new GuardedConnection(inner, this, user, peer);
        idle.track(guarded);
        return guarded;
    }
}
