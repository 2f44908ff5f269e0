package online.cloudtolocalllm.tunnel.agent;

import java.nio.channels.ByteChannel;
import java.util.function.Supplier;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.spi.LocalAgent;
import org.jspecify.annotations.Nullable;

/** The client's local agent: found once, then each conversation is a new connection behind the client's guard. */
final class ClientLocalAgent implements LocalAgent {
    private final Supplier<AgentConnector> find;
    private final AgentGuard guard;
    private final IdleMonitor idle;
    private final String user;
    private final String server;
    private volatile @Nullable AgentConnector connector;

    ClientLocalAgent(Supplier<AgentConnector> find, AgentGuard guard, IdleMonitor idle, String user, String server) {
        this.find = find;
        this.guard = guard;
        this.idle = idle;
        this.user = user;
        this.server = server;
    }

    @Override
    public AgentConnection connect() {
        AgentConnector found = connector;
        if (found == null) {
            found = find.get();
            connector = found;
        }
        ByteChannel channel = found.open();
        return guard.wrap(new LocalAgentConnection(channel, found.location()), user, "server " + server, idle);
    }

    @Override
    public void close() {
        idle.close();
    }

    @Override
    public String toString() {
        AgentConnector found = connector;
        return "local agent " + (found == null ? "(not found yet)" : found.location());
    }
}
