package online.cloudtolocalllm.tunnel.agent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.spi.AgentGateway;
import online.cloudtolocalllm.tunnel.spi.AgentGatewayProvider;
import org.jspecify.annotations.Nullable;

/**
 * The server's side of agent forwarding (when {@link TunnelServerConfig#agentForwardingAllowed()}): each forwarded
 * agent that server code gets from {@code TunnelServer.forwardedAgent(user)} lets through only what the policy
 * allows (by default listing keys and signing; adding, removing and locking keys are refused), audits every
 * operation, closes conversations idle for five minutes, and is optionally exposed as {@code DIR/<user>.sock}.
 *
 * <pre>{@code
 * TunnelServerConfig.builder()...allowAgentForwarding(true)
 *         .component(AgentGatewayProvider.class, AgentForwardingServer.builder().socketDirectory(dir).build())
 * }</pre>
 */
public final class AgentForwardingServer implements AgentGatewayProvider {
    private final AgentPolicy policy;
    private final AgentAudit audit;
    private final Duration idleTimeout;
    private final Clock clock;
    private final @Nullable Path socketDirectory;

    /** The defaults; for {@link java.util.ServiceLoader}. Applications use {@link #builder()}. */
    public AgentForwardingServer() {
        this(new Builder());
    }

    private AgentForwardingServer(Builder b) {
        this.policy = b.policy;
        this.audit = b.audit;
        this.idleTimeout = b.idleTimeout;
        this.clock = b.clock;
        this.socketDirectory = b.socketDirectory;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return "auth-agent";
    }

    @Override
    public AgentGateway create(TunnelServerConfig config) {
        return new ServerAgentGateway(new AgentGuard(policy, audit, null, clock, AgentAuditRecord.Side.SERVER),
                new IdleMonitor(clock, idleTimeout), socketDirectory == null ? null : new AgentSocketDirectory(socketDirectory));
    }

    /** Builds an {@link AgentForwardingServer}; each setter checks its value at once. */
    public static final class Builder {
        private AgentPolicy policy = AgentPolicy.DEFAULT;
        private AgentAudit audit = AgentAudit.log();
        private Duration idleTimeout = IdleMonitor.DEFAULT_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private @Nullable Path socketDirectory;

        private Builder() {
        }

        /** What may pass through forwarded agents; by default {@link AgentPolicy#DEFAULT} (list and sign). */
        public Builder policy(AgentPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Where each operation is recorded; by default {@link AgentAudit#log()}. */
        public Builder audit(AgentAudit audit) {
            this.audit = Objects.requireNonNull(audit, "audit");
            return this;
        }

        /** How long a conversation may stay idle before it is closed; five minutes by default. */
        public Builder idleTimeout(Duration idleTimeout) {
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
            }
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** The clock of audit records and idleness. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Exposes each user's forwarded agent as {@code dir/<user>.sock} (owner-only) while their tunnel forwards
         * one. The directory is created owner-only if it does not exist.
         */
        public Builder socketDirectory(Path dir) {
            this.socketDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        public AgentForwardingServer build() {
            return new AgentForwardingServer(this);
        }
    }
}
