package online.cloudtolocalllm.tunnel.api;

import java.util.concurrent.CompletableFuture;

/**
 * One conversation with an SSH agent (draft-miller-ssh-agent): a request goes in, its answer comes back, in order.
 * Messages are passed without their four-byte length prefix, starting with the message type byte.
 */
public interface AgentConnection extends AutoCloseable {

    /**
     * Sends one request; completes with the agent's answer, or fails with a {@link TunnelException} if the
     * conversation ended first. Requests sent before an earlier one is answered are answered in order.
     */
    CompletableFuture<byte[]> request(byte[] message);

    /** Ends the conversation; pending requests fail. */
    @Override
    void close();

    /** Completes when the conversation has ended, by either side or by the idle timeout. */
    CompletableFuture<Void> closeFuture();
}
