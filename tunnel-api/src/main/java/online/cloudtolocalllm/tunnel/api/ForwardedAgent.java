package online.cloudtolocalllm.tunnel.api;

import java.util.concurrent.CompletableFuture;

/**
 * A user's SSH agent forwarded through their tunnel, as the server sees it: each {@link #connect()} opens an
 * {@code auth-agent@openssh.com} channel to the client, which answers from the user's local agent. The private
 * keys stay on the user's machine; the server only gets public keys and signatures.
 *
 * <p>The {@code auth-agent} artifact adapts it to Apache MINA SSHD's {@code SshAgent} and to a Unix socket.
 */
public interface ForwardedAgent {

    /** The tunnel user whose agent this is. */
    String user();

    /**
     * Opens a conversation with the agent. Fails with {@link ErrorCode#AGENT_NOT_CONFIGURED},
     * {@link ErrorCode#AGENT_SOCKET_MISSING} or {@link ErrorCode#AGENT_PERMISSION_DENIED} when the client cannot
     * reach its agent, and with {@link ErrorCode#NOT_FOUND} once the forwarding has ended.
     */
    CompletableFuture<AgentConnection> connect();
}
