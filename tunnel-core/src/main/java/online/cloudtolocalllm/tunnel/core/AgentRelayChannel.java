package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.LocalAgent;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.AbstractServerChannel;
import org.jspecify.annotations.Nullable;

/**
 * Client side of an {@code auth-agent@openssh.com} channel the server opened: each agent request in it goes to a
 * conversation with the local agent, and the answers go back in order. A local agent that cannot be reached
 * refuses the open: "connect failed" when it is missing, "administratively prohibited" when permission is denied.
 */
final class AgentRelayChannel extends AbstractServerChannel implements UncountedChannel {
    static final String TYPE = "auth-agent@openssh.com";
    /** Requests a server may have waiting for answers before the channel is closed as misbehaving. */
    private static final int MAX_PENDING = 16;

    private final LocalAgent agent;
    private final Consumer<TunnelException> onFailure;
    private final AgentFrames frames = new AgentFrames();
    private @Nullable AgentConnection connection;
    private @Nullable SerialWriter writer;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private int pending;

    AgentRelayChannel(LocalAgent agent, Consumer<TunnelException> onFailure) {
        super(null);
        this.agent = agent;
        this.onFailure = onFailure;
        addCloseFutureListener(f -> {
            AgentConnection open = connection;
            if (open != null) {
                open.close();
            }
        });
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        AgentConnection opened;
        try {
            opened = agent.connect();
        } catch (RuntimeException failure) {
            TunnelException e = TunnelException.wrap(failure, ErrorCode.AGENT_SOCKET_MISSING);
            onFailure.accept(e);
            DefaultOpenFuture refused = new DefaultOpenFuture(TYPE, futureLock);
            int reason = e.code() == ErrorCode.AGENT_PERMISSION_DENIED ? SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED
                    : SshConstants.SSH_OPEN_CONNECT_FAILED;
            refused.setException(new SshChannelOpenException(getChannelId(), reason, e.getMessage(), e));
            close(true);
            return refused;
        }
        connection = opened;
        writer = new SerialWriter(new ChannelAsyncOutputStream(this, SshConstants.SSH_MSG_CHANNEL_DATA));
        opened.closeFuture().whenComplete((done, failure) -> close(false));
        return super.doInit(buffer);
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        AgentConnection open = connection;
        SerialWriter out = writer;
        if (open == null || out == null || isClosing()) {
            return;
        }
        getLocalWindow().release(len);
        for (byte[] message : frames.add(data, off, (int) len)) {
            synchronized (this) {
                if (++pending > MAX_PENDING) {
                    throw new IOException("More than " + MAX_PENDING + " agent requests waiting for answers");
                }
                tail = tail.thenCompose(previous -> open.request(message))
                        .thenCompose(answer -> out.write(AgentFrames.frame(answer)))
                        .whenComplete((written, failure) -> answered(failure));
            }
        }
    }

    private synchronized void answered(@Nullable Throwable failure) {
        pending--;
        if (failure != null) {
            close(false);
        }
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        throw new IOException("An agent channel carries no extended data");
    }

    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        CompletableFuture<Void> last;
        synchronized (this) {
            last = tail;
        }
        last.whenComplete((done, failure) -> close(false));
    }
}
