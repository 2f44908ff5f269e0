package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.apache.sshd.client.channel.AbstractClientChannel;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Server side: an {@code auth-agent@openssh.com} channel to the client's agent, one conversation of a
 * {@link online.cloudtolocalllm.tunnel.api.ForwardedAgent}. Requests go out framed; answers come back in order.
 */
final class AgentChannel extends AbstractClientChannel implements UncountedChannel {
    private final Object lock = new Object();
    private final AgentFrames frames = new AgentFrames();
    private final Deque<CompletableFuture<byte[]>> waiting = new ArrayDeque<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile @Nullable SerialWriter writer;

    AgentChannel() {
        super(AgentRelayChannel.TYPE);
        addCloseFutureListener(f -> {
            failWaiting();
            ended.complete(null);
        });
    }

    @Override
    protected void doOpen() {
        writer = new SerialWriter(new ChannelAsyncOutputStream(this, SshConstants.SSH_MSG_CHANNEL_DATA));
    }

    /** This channel as a conversation. */
    AgentConnection connection() {
        return new AgentConnection() {
            @Override
            public CompletableFuture<byte[]> request(byte[] message) {
                return send(message);
            }

            @Override
            public void close() {
                AgentChannel.this.close(false);
            }

            @Override
            public CompletableFuture<Void> closeFuture() {
                return ended.copy();
            }

            @Override
            public String toString() {
                return "agent channel " + getChannelId() + " of " + getSession().getUsername();
            }
        };
    }

    private CompletableFuture<byte[]> send(byte[] message) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        SerialWriter out = writer;
        synchronized (lock) {
            if (out == null || isClosing()) {
                return CompletableFuture.failedFuture(closedFailure());
            }
            waiting.add(answer);
            out.write(AgentFrames.frame(message)).whenComplete((written, failure) -> {
                if (failure != null) {
                    close(true);
                }
            });
        }
        return answer;
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        getLocalWindow().release(len);
        for (byte[] message : frames.add(data, off, (int) len)) {
            CompletableFuture<byte[]> answer;
            synchronized (lock) {
                answer = waiting.poll();
            }
            if (answer == null) {
                throw new IOException("The client's agent sent an answer nobody asked for");
            }
            answer.complete(message);
        }
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        throw new IOException("An agent channel carries no extended data");
    }

    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        close(false);
    }

    private void failWaiting() {
        synchronized (lock) {
            CompletableFuture<byte[]> answer;
            while ((answer = waiting.poll()) != null) {
                answer.completeExceptionally(closedFailure());
            }
        }
    }

    private static TunnelException closedFailure() {
        return new TunnelException(ErrorCode.SSH_ERROR, "The agent channel closed before the agent answered");
    }
}
