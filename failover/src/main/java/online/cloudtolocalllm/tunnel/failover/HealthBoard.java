package online.cloudtolocalllm.tunnel.failover;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The health of every endpoint and since when it has been so; changes return whether anything changed. */
final class HealthBoard {
    private record Status(EndpointHealth health, Instant since) {
    }

    private final Map<Endpoint, Status> statuses = new LinkedHashMap<>();

    HealthBoard(List<Endpoint> endpoints, Instant now) {
        endpoints.forEach(endpoint -> statuses.put(endpoint, new Status(EndpointHealth.UNKNOWN, now)));
    }

    /** Records a check's outcome; true if the endpoint's health changed. */
    synchronized boolean record(Endpoint endpoint, boolean up, Instant now) {
        EndpointHealth health = up ? EndpointHealth.UP : EndpointHealth.DOWN;
        Status previous = statuses.get(endpoint);
        if (previous.health() == health) {
            return false;
        }
        statuses.put(endpoint, new Status(health, now));
        return true;
    }

    synchronized EndpointHealth health(Endpoint endpoint) {
        return statuses.get(endpoint).health();
    }

    /** Up or not yet checked. */
    synchronized boolean usable(Endpoint endpoint) {
        return statuses.get(endpoint).health() != EndpointHealth.DOWN;
    }

    /** How long {@code endpoint} has been up without interruption; zero unless up. */
    synchronized Duration upFor(Endpoint endpoint, Instant now) {
        Status status = statuses.get(endpoint);
        return status.health() == EndpointHealth.UP ? Duration.between(status.since(), now) : Duration.ZERO;
    }

    synchronized Map<Endpoint, EndpointHealth> snapshot() {
        Map<Endpoint, EndpointHealth> copy = new LinkedHashMap<>();
        statuses.forEach((endpoint, status) -> copy.put(endpoint, status.health()));
        return copy;
    }
}
