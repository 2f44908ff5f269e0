package online.cloudtolocalllm.tunnel.agent;

import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.api.ForwardedAgent;

/** A forwarded agent behind the server's guard: each conversation is checked, audited and closed when idle. */
final class GuardedAgent implements ForwardedAgent {
    static final String SERVER_CODE = "server code";

    private final ForwardedAgent inner;
    private final AgentGuard guard;
    private final IdleMonitor idle;

    GuardedAgent(ForwardedAgent inner, AgentGuard guard, IdleMonitor idle) {
        this.inner = inner;
        this.guard = guard;
        this.idle = idle;
    }

    @Override
    public String user() {
        return inner.user();
    }

    @Override
    public CompletableFuture<AgentConnection> connect() {
        return connect(SERVER_CODE);
    }

    /** A conversation asked for by {@code peer}, who is named in the audit records. */
    CompletableFuture<AgentConnection> connect(String peer) {
        return inner.connect().thenApply(connection -> guard.wrap(connection, user(), peer, idle));
    }

    @Override
    public String toString() {
        return "guarded " + inner;
    }
}
