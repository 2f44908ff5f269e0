package online.cloudtolocalllm.tunnel.agent;

import java.util.function.Predicate;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/** Matches the event that says why agent forwarding failed. */
final class AgentFailureEvents {
    private AgentFailureEvents() {
    }

    /** An AGENT_FORWARDING_FAILED event whose cause carries {@code code}. */
    static Predicate<TunnelEvent> of(ErrorCode code) {
        return e -> e.type() == TunnelEvent.Type.AGENT_FORWARDING_FAILED && e.cause() instanceof TunnelException t && t.code() == code;
    }
}
