package online.cloudtolocalllm.tunnel.failover;

import java.util.Map;
import java.util.stream.Collectors;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a failover client, for display.
 *
 * @param state the client's state
 * @param live the endpoint the tunnel is live on, if any
 * @param target the endpoint being connected to, if the client is moving
 * @param queued forward streams waiting for a live session
 * @param endpoints every endpoint's health
 */
public record FailoverStatus(TunnelState state, @Nullable Endpoint live, @Nullable Endpoint target, int queued,
        Map<Endpoint, EndpointHealth> endpoints) {

    public FailoverStatus {
        endpoints = Map.copyOf(endpoints);
    }

    /** One line: state, live endpoint, target, queue and health, like {@code CONNECTED on ws://a (queued 0) ...}. */
    @Override
    public String toString() {
        return state + (live == null ? "" : " on " + live.uri()) + (target == null ? "" : " moving to " + target.uri())
                + " (queued " + queued + ") endpoints: " + endpoints.entrySet().stream()
                .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.priority(), b.priority())))
                .map(e -> e.getKey().uri() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
