package online.cloudtolocalllm.tunnel.failover;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** When to go back: an endpoint of better priority than the live one that has been up for the failback delay. */
final class Failback {
    private final Duration delay;
    private final EndpointSelector selector;

    Failback(Duration delay, EndpointSelector selector) {
        this.delay = delay;
        this.selector = selector;
    }

    Optional<Endpoint> target(Endpoint live, List<Endpoint> endpoints, HealthBoard board, Instant now) {
        List<Endpoint> better = endpoints.stream()
                .filter(e -> e.priority() < live.priority())
                .filter(e -> board.upFor(e, now).compareTo(delay) >= 0)
                .toList();
        return selector.choose(better);
    }

    Duration delay() {
        return delay;
    }
}
