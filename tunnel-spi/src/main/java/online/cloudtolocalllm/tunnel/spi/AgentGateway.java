package online.cloudtolocalllm.tunnel.spi;

import online.cloudtolocalllm.tunnel.api.ForwardedAgent;

/**
 * The server's guard over forwarded agents: what passes through them, what is recorded, and where they are
 * exposed (a Unix socket per user, say). Made by an {@link AgentGatewayProvider} (the {@code auth-agent} artifact)
 * when the server allows agent forwarding. Thread-safe.
 */
public interface AgentGateway extends AutoCloseable {

    /**
     * A session started forwarding its user's agent. Returns the agent that server code is given from now on:
     * {@code agent} behind the gateway's checks.
     */
    ForwardedAgent attach(ForwardedAgent agent);

    /** That forwarding ended; {@code agent} is what {@link #attach} returned. Withdraws what attach exposed. */
    void detach(ForwardedAgent agent);

    /** Withdraws everything; called when the server stops. */
    @Override
    void close();
}
