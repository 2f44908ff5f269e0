package online.cloudtolocalllm.tunnel.failover;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Picks an endpoint: the best (lowest) priority first, then at random in proportion to weight among equals. */
final class EndpointSelector {
    private final RandomGenerator random;

    EndpointSelector(RandomGenerator random) {
        this.random = random;
    }

    Optional<Endpoint> choose(Collection<Endpoint> candidates) {
        Optional<Integer> best = candidates.stream().map(Endpoint::priority).min(Integer::compare);
        if (best.isEmpty()) {
            return Optional.empty();
        }
        List<Endpoint> group = candidates.stream().filter(e -> e.priority() == best.get()).toList();
        int total = group.stream().mapToInt(Endpoint::weight).sum();
        int ticket = random.nextInt(total);
        for (Endpoint endpoint : group) {
            ticket -= endpoint.weight();
            if (ticket < 0) {
                return Optional.of(endpoint);
            }
        }
        throw new IllegalStateException("weights of " + group + " do not add up to " + total);
    }
}
