package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.ForwardedAgent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.server.session.ServerSession;

/** The agent a session forwards, as sshd reaches it: each conversation is a new agent channel to the client. */
final class SessionForwardedAgent implements ForwardedAgent {
    private final ServerSession session;
    private final Channel holder;

    /** {@code holder} is the session channel that asked for forwarding: it lasts as long as that channel. */
    SessionForwardedAgent(ServerSession session, Channel holder) {
        this.session = session;
        this.holder = holder;
    }

    @Override
    public String user() {
        return session.getUsername();
    }

    @Override
    public CompletableFuture<AgentConnection> connect() {
        if (!session.isOpen() || holder.isClosing() || !holder.isOpen()) {
            return CompletableFuture.failedFuture(new TunnelException(ErrorCode.NOT_FOUND,
                    "The agent forwarding of '" + user() + "' has ended"));
        }
        AgentChannel channel = new AgentChannel();
        CompletableFuture<AgentConnection> opened = new CompletableFuture<>();
        try {
            session.getService(ConnectionService.class).registerChannel(channel);
            channel.open().addListener(f -> {
                if (f.isOpened()) {
                    opened.complete(channel.connection());
                } else {
                    opened.completeExceptionally(failure(f.getException()));
                }
            });
        } catch (IOException | RuntimeException e) {
            opened.completeExceptionally(failure(e));
        }
        return opened.orTimeout(StreamOpener.OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            channel.close(true);
            return CompletableFuture.failedFuture(e instanceof TimeoutException
                    ? new TunnelException(ErrorCode.REQUEST_TIMEOUT, "The client of '" + user() + "' did not open an agent channel within "
                            + StreamOpener.OPEN_TIMEOUT.toSeconds() + " s", e)
                    : e);
        });
    }

    private TunnelException failure(Throwable failure) {
        if (failure instanceof SshChannelOpenException open) {
            return switch (open.getReasonCode()) {
                case SshConstants.SSH_OPEN_CONNECT_FAILED -> new TunnelException(ErrorCode.AGENT_SOCKET_MISSING,
                        "The client of '" + user() + "' cannot reach its SSH agent (the client's events say why)", failure);
                case SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED -> new TunnelException(ErrorCode.AGENT_PERMISSION_DENIED,
                        "The client of '" + user() + "' may not open its SSH agent", failure);
                default -> new TunnelException(ErrorCode.NOT_FOUND,
                        "The client of '" + user() + "' does not forward an agent: " + open.getMessage(), failure);
            };
        }
        return TunnelException.wrap(failure, ErrorCode.SSH_ERROR);
    }

    @Override
    public String toString() {
        return "agent of " + user() + " (session " + session.getIoSession().getId() + ")";
    }
}
