package online.cloudtolocalllm.tunnel.spi;

import online.cloudtolocalllm.tunnel.api.AgentConnection;

/**
 * The user's local SSH agent as a tunnel client forwards it: one conversation per {@code auth-agent@openssh.com}
 * channel the server opens. Made by a {@link LocalAgentProvider} (the {@code auth-agent} artifact), which decides
 * what the server may ask for and records what it asked. Thread-safe.
 */
public interface LocalAgent extends AutoCloseable {

    /**
     * Opens a conversation with the local agent. Throws a {@link online.cloudtolocalllm.tunnel.api.TunnelException}
     * with {@code AGENT_NOT_CONFIGURED}, {@code AGENT_SOCKET_MISSING} or {@code AGENT_PERMISSION_DENIED} when the
     * agent cannot be reached.
     */
    AgentConnection connect();

    /** Ends every conversation and releases threads. */
    @Override
    void close();
}
