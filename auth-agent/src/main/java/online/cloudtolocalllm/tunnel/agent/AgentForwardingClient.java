package online.cloudtolocalllm.tunnel.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import online.cloudtolocalllm.tunnel.spi.LocalAgent;
import online.cloudtolocalllm.tunnel.spi.LocalAgentContext;
import online.cloudtolocalllm.tunnel.spi.LocalAgentProvider;
import org.jspecify.annotations.Nullable;

/**
 * The client's side of agent forwarding: finds the user's local agent ({@code --agent}, {@code SSH_AUTH_SOCK},
 * gpg-agent, the Windows OpenSSH agent, Pageant) and answers the server's agent channels from it, letting through
 * only what the policy allows (by default listing keys and signing), asking the confirmation hook before each
 * signature if one is set, auditing every operation, and closing conversations idle for five minutes.
 *
 * <p>Found on the path with defaults; to change them, give the builder's result to the client's builder:
 * <pre>{@code
 * TunnelClientConfig.builder()...forwardAgent(true)
 *         .component(LocalAgentProvider.class, AgentForwardingClient.builder().confirmSignatures(prompt).build())
 * }</pre>
 */
public final class AgentForwardingClient implements LocalAgentProvider {
    private final AgentPolicy policy;
    private final AgentAudit audit;
    private final @Nullable SignatureConfirmation confirmation;
    private final Duration idleTimeout;
    private final Clock clock;
    private final @Nullable AgentConnector connector;
    private final AgentDiscovery.@Nullable Environment environment;

    /** The defaults; for {@link java.util.ServiceLoader}. Applications use {@link #builder()}. */
    public AgentForwardingClient() {
        this(new Builder());
    }

    private AgentForwardingClient(Builder b) {
        this.policy = b.policy;
        this.audit = b.audit;
        this.confirmation = b.confirmation;
        this.idleTimeout = b.idleTimeout;
        this.clock = b.clock;
        this.connector = b.connector;
        this.environment = b.environment;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return "auth-agent";
    }

    @Override
    public LocalAgent create(LocalAgentContext context) {
        String explicit = context.config().agent().orElse(null);
        AgentConnector given = connector;
        AgentDiscovery.Environment looked = environment;
        return new ClientLocalAgent(
                () -> given != null ? given : AgentDiscovery.find(explicit, looked != null ? looked : AgentDiscovery.Environment.system()),
                new AgentGuard(policy, audit, confirmation, clock, AgentAuditRecord.Side.CLIENT),
                new IdleMonitor(clock, idleTimeout), context.user(), context.config().server().toString());
    }

    /** Builds an {@link AgentForwardingClient}; each setter checks its value at once. */
    public static final class Builder {
        private AgentPolicy policy = AgentPolicy.DEFAULT;
        private AgentAudit audit = AgentAudit.log();
        private @Nullable SignatureConfirmation confirmation;
        private Duration idleTimeout = IdleMonitor.DEFAULT_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private @Nullable AgentConnector connector;
        private AgentDiscovery.@Nullable Environment environment;

        private Builder() {
        }

        /** What the server may ask of the local agent; by default {@link AgentPolicy#DEFAULT} (list and sign). */
        public Builder policy(AgentPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Where each operation is recorded; by default {@link AgentAudit#log()}. */
        public Builder audit(AgentAudit audit) {
            this.audit = Objects.requireNonNull(audit, "audit");
            return this;
        }

        /** Asks {@code confirmation} before each signature the server requests. */
        public Builder confirmSignatures(SignatureConfirmation confirmation) {
            this.confirmation = Objects.requireNonNull(confirmation, "confirmation");
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

        /** The agent to forward, instead of the configured location or discovery. */
        public Builder connector(AgentConnector connector) {
            this.connector = Objects.requireNonNull(connector, "connector");
            return this;
        }

        /** For tests: what discovery looks at. */
        Builder environment(AgentDiscovery.Environment environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        public AgentForwardingClient build() {
            return new AgentForwardingClient(this);
        }
    }
}
