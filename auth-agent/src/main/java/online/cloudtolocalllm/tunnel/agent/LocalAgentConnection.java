package online.cloudtolocalllm.tunnel.agent;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/** A conversation with a local agent over a socket or pipe; the blocking exchanges run on a virtual thread of its own. */
final class LocalAgentConnection implements AgentConnection {
    private final ByteChannel channel;
    private final String location;
    private final ExecutorService exchanges = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("agent-local").factory());
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    LocalAgentConnection(ByteChannel channel, String location) {
        this.channel = channel;
        this.location = location;
    }

    @Override
    public CompletableFuture<byte[]> request(byte[] message) {
        try {
            return CompletableFuture.supplyAsync(() -> exchange(message), exchanges);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(ended(e));
        }
    }

    private byte[] exchange(byte[] message) {
        try {
            AgentFraming.write(channel, message);
            return AgentFraming.read(channel);
        } catch (IOException e) {
            close();
            throw new CompletionException(ended(e));
        }
    }

    private TunnelException ended(Exception e) {
        return new TunnelException(ErrorCode.AGENT_SOCKET_MISSING, "The SSH agent at " + location
                + " closed the connection: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        exchanges.shutdownNow();
        closed.complete(null);
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed.copy();
    }

    @Override
    public String toString() {
        return "agent at " + location;
    }
}
