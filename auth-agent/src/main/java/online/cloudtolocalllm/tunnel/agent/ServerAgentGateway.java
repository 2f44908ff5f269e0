package online.cloudtolocalllm.tunnel.agent;

import online.cloudtolocalllm.tunnel.api.ForwardedAgent;
import online.cloudtolocalllm.tunnel.spi.AgentGateway;
import org.jspecify.annotations.Nullable;

/** The server's gateway: each forwarded agent behind the server's guard, and in the socket directory if there is one. */
final class ServerAgentGateway implements AgentGateway {
    private final AgentGuard guard;
    private final IdleMonitor idle;
    private final @Nullable AgentSocketDirectory sockets;

    ServerAgentGateway(AgentGuard guard, IdleMonitor idle, @Nullable AgentSocketDirectory sockets) {
        this.guard = guard;
        this.idle = idle;
        this.sockets = sockets;
    }

    @Override
    public ForwardedAgent attach(ForwardedAgent agent) {
        GuardedAgent guarded = new GuardedAgent(agent, guard, idle);
        if (sockets != null) {
            sockets.add(guarded);
        }
        return guarded;
    }

    @Override
    public void detach(ForwardedAgent agent) {
        if (sockets != null && agent instanceof GuardedAgent guarded) {
            sockets.remove(guarded);
        }
    }

    @Override
    public void close() {
        if (sockets != null) {
            sockets.close();
        }
        idle.close();
    }
}
