package online.cloudtolocalllm.tunnel.core;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.ForwardedAgent;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.AgentGateway;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.server.session.ServerSession;
import org.jspecify.annotations.Nullable;

/**
 * The agents sessions forward now, each behind the {@link AgentGateway} (absent when the server does not allow
 * forwarding: then every request is refused). A user's latest forwarding is the one server code gets.
 */
final class ServerAgents {
    private record Forwarding(ServerSession session, ForwardedAgent agent, long order) {
    }

    private final @Nullable AgentGateway gateway;
    private final EventPublisher events;
    private final Map<Channel, Forwarding> byHolder = new ConcurrentHashMap<>();
    private final AtomicLong order = new AtomicLong();

    ServerAgents(@Nullable AgentGateway gateway, EventPublisher events) {
        this.gateway = gateway;
        this.events = events;
    }

    /** {@code session} asked on {@code holder} to forward its agent; returns whether that is allowed. */
    boolean requested(ServerSession session, Channel holder) {
        String user = session.getUsername();
        String endpoint = String.valueOf(session.getRemoteAddress());
        if (gateway == null) {
            TunnelException refused = new TunnelException(ErrorCode.AGENT_FORWARDING_FORBIDDEN,
                    "Agent forwarding of '" + user + "' refused: this server does not allow agent forwarding");
            events.publish(TunnelEvent.Type.AGENT_FORWARDING_FAILED, endpoint, user, null, refused.getMessage(), refused, 0, null);
            return false;
        }
        if (byHolder.containsKey(holder)) {
            return true;
        }
        ForwardedAgent guarded;
        try {
            guarded = gateway.attach(new SessionForwardedAgent(session, holder));
        } catch (RuntimeException e) {
            TunnelException failed = TunnelException.wrap(e, ErrorCode.CONFIGURATION_ERROR);
            events.publish(TunnelEvent.Type.AGENT_FORWARDING_FAILED, endpoint, user, null,
                    "agent forwarding of '" + user + "' failed: " + failed.getMessage(), failed, 0, null);
            return false;
        }
        byHolder.put(holder, new Forwarding(session, guarded, order.incrementAndGet()));
        events.publish(TunnelEvent.Type.AGENT_FORWARDED, endpoint, user, null, "session " + session.getIoSession().getId(),
                null, 0, null);
        return true;
    }

    /** The forwarding started on {@code holder} (if any) ended with it. */
    void ended(Channel holder) {
        Forwarding ended = byHolder.remove(holder);
        if (ended == null || gateway == null) {
            return;
        }
        try {
            gateway.detach(ended.agent());
        } finally {
            events.publish(TunnelEvent.Type.AGENT_FORWARDING_ENDED, String.valueOf(ended.session().getRemoteAddress()),
                    ended.agent().user(), null, "session " + ended.session().getIoSession().getId(), null, 0, null);
        }
    }

    /** {@code user}'s latest forwarded agent. */
    Optional<ForwardedAgent> forUser(String user) {
        return byHolder.values().stream()
                .filter(f -> f.session().isOpen() && user.equals(f.agent().user()))
                .max(Comparator.comparingLong(Forwarding::order))
                .map(Forwarding::agent);
    }

    void close() {
        byHolder.keySet().forEach(this::ended);
        if (gateway != null) {
            gateway.close();
        }
    }
}
