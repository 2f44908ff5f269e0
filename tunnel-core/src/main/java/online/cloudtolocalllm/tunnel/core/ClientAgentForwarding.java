package online.cloudtolocalllm.tunnel.core;

import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.LocalAgent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.jspecify.annotations.Nullable;

/**
 * A client's agent forwarding: after login it checks the local agent can be reached, then asks for forwarding with
 * {@code auth-agent-req@openssh.com} on a session channel of its own (the tunnel has no shell session to carry it,
 * and OpenSSH sends it on a session channel); the server then opens {@code auth-agent@openssh.com} channels, which
 * {@link AgentRelayChannel} answers from the local agent. Failures are reported as events, never fail the tunnel.
 */
final class ClientAgentForwarding {
    /** Reports an event: its type, detail and cause. */
    interface Reporter {
        void report(TunnelEvent.Type type, String detail, @Nullable TunnelException cause);
    }

    private final LocalAgent agent;
    private final Reporter reporter;

    ClientAgentForwarding(LocalAgent agent, Reporter reporter) {
        this.agent = agent;
        this.reporter = reporter;
    }

    /** The factory for the agent channels the server opens. */
    ChannelFactory channelFactory() {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return AgentRelayChannel.TYPE;
            }

            @Override
            public Channel createChannel(Session session) {
                return new AgentRelayChannel(agent, e -> reporter.report(TunnelEvent.Type.AGENT_FORWARDING_FAILED,
                        "the server asked for the agent, which cannot be reached: " + e.getMessage(), e));
            }
        };
    }

    /**
     * Asks {@code session}'s server to forward the agent; completes (never exceptionally) once it has answered. The
     * local agent is checked first, off the I/O thread: finding it may run {@code gpgconf}.
     */
    CompletableFuture<Void> request(ClientSession session) {
        return CompletableFuture.supplyAsync(this::reachable, Thread::startVirtualThread)
                .thenCompose(reachable -> reachable ? ask(session) : CompletableFuture.completedFuture(null));
    }

    private boolean reachable() {
        try {
            agent.connect().close(); // reachable: nothing to ask it yet
            return true;
        } catch (TunnelException e) {
            reporter.report(TunnelEvent.Type.AGENT_FORWARDING_FAILED, "not forwarding the agent: " + e.getMessage(), e);
            return false;
        } catch (RuntimeException e) {
            TunnelException failed = TunnelException.wrap(e, ErrorCode.AGENT_SOCKET_MISSING);
            reporter.report(TunnelEvent.Type.AGENT_FORWARDING_FAILED, "not forwarding the agent: " + failed.getMessage(), failed);
            return false;
        }
    }

    private CompletableFuture<Void> ask(ClientSession session) {
        AgentRequestChannel channel = new AgentRequestChannel();
        CompletableFuture<Boolean> accepted = new CompletableFuture<>();
        try {
            session.getService(ConnectionService.class).registerChannel(channel);
            channel.open().addListener(f -> {
                if (f.isOpened()) {
                    channel.requestForwarding().whenComplete((yes, failure) -> accepted.complete(failure == null && yes));
                } else {
                    accepted.complete(false);
                }
            });
        } catch (java.io.IOException | RuntimeException e) {
            accepted.complete(false);
        }
        return accepted.thenAccept(yes -> {
            if (yes) {
                reporter.report(TunnelEvent.Type.AGENT_FORWARDED, "the server accepted agent forwarding", null);
            } else {
                channel.close(false);
                TunnelException refused = new TunnelException(ErrorCode.AGENT_FORWARDING_FORBIDDEN,
                        "The server's policy does not allow agent forwarding");
                reporter.report(TunnelEvent.Type.AGENT_FORWARDING_FAILED, refused.getMessage(), refused);
            }
        });
    }
}
