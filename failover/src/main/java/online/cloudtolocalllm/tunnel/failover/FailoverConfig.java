package online.cloudtolocalllm.tunnel.failover;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import online.cloudtolocalllm.tunnel.api.ReconnectPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import org.jspecify.annotations.Nullable;

/**
 * The immutable configuration of a {@link FailoverTunnelClient}: what every endpoint's connection shares (a
 * {@link TunnelClientConfig} whose server is replaced by each endpoint's), the endpoints, and the failover timings.
 * Build it with {@link #builder(TunnelClientConfig)}.
 */
public final class FailoverConfig {
    private final TunnelClientConfig client;
    private final List<Endpoint> endpoints;
    private final Duration detectTimeout;
    private final Duration healthCheckInterval;
    private final Duration failbackDelay;
    private final int queueSize;
    private final Duration queueDeadline;
    private final HealthCheck healthCheck;
    private final Clock clock;
    private final RandomGenerator random;

    private FailoverConfig(Builder b) {
        this.client = b.client;
        this.endpoints = b.endpoints.isEmpty() ? List.of(new Endpoint(b.client.server(), 0, 1)) : List.copyOf(b.endpoints);
        this.detectTimeout = b.detectTimeout;
        this.healthCheckInterval = b.healthCheckInterval;
        this.failbackDelay = b.failbackDelay;
        this.queueSize = b.queueSize;
        this.queueDeadline = b.queueDeadline;
        this.healthCheck = b.healthCheck != null ? b.healthCheck : HealthCheck.http(detectTimeout);
        this.clock = b.clock;
        this.random = b.random;
        if (detectTimeout.toMillis() < 500) {
            throw new IllegalArgumentException("detectTimeout must be at least 500 ms, was " + detectTimeout);
        }
    }

    /** A builder whose connections share {@code client}'s settings (token, services, host keys, listeners...). */
    public static Builder builder(TunnelClientConfig client) {
        return new Builder(client);
    }

    /** The settings every endpoint's connection shares; its listeners receive the failover client's events. */
    public TunnelClientConfig client() {
        return client;
    }

    /** The endpoints in the order given (priority decides, not the order). */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** How long the live endpoint may be silent before the client counts it as lost (default 5 s). */
    public Duration detectTimeout() {
        return detectTimeout;
    }

    /** How often the other endpoints' health is checked (default 1 s). */
    public Duration healthCheckInterval() {
        return healthCheckInterval;
    }

    /** How long a preferred endpoint must stay healthy before the client goes back to it (default 30 s). */
    public Duration failbackDelay() {
        return failbackDelay;
    }

    /** How many forward streams may wait while no session is live (default 256). */
    public int queueSize() {
        return queueSize;
    }

    /** How long a forward stream waits for a session before it fails with TUNNEL_007 (default 30 s). */
    public Duration queueDeadline() {
        return queueDeadline;
    }

    public HealthCheck healthCheck() {
        return healthCheck;
    }

    public Clock clock() {
        return clock;
    }

    public RandomGenerator random() {
        return random;
    }

    /**
     * The configuration of the connection to {@code endpoint}: one session (parallel sessions are not combined with
     * failover), keepalive within the detect time, one attempt.
     */
    TunnelClientConfig forEndpoint(Endpoint endpoint) {
        long detect = detectTimeout.toMillis();
        return client.toBuilder()
                .server(endpoint.uri())
                .sessions(1)
                .clearListeners()
                .keepAlive(Duration.ofMillis(detect / 5), Duration.ofMillis(detect * 4 / 5))
                .reconnect(new ReconnectPolicy(client.reconnect().initialDelay(),
                        client.reconnect().maxDelay(), client.reconnect().multiplier(), client.reconnect().jitter(), 1))
                .drainHandoff(true)
                .build();
    }

    @Override
    public String toString() {
        return "FailoverConfig[endpoints=" + endpoints + ", detect=" + detectTimeout + ", failback=" + failbackDelay
                + ", queue=" + queueSize + "/" + queueDeadline + "]";
    }

    /** Builds a {@link FailoverConfig}; each setter checks its value at once. */
    public static final class Builder {
        private final TunnelClientConfig client;
        private final List<Endpoint> endpoints = new ArrayList<>();
        private Duration detectTimeout = Duration.ofSeconds(5);
        private Duration healthCheckInterval = Duration.ofSeconds(1);
        private Duration failbackDelay = Duration.ofSeconds(30);
        private int queueSize = 256;
        private Duration queueDeadline = Duration.ofSeconds(30);
        private @Nullable HealthCheck healthCheck;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = RandomGenerator.getDefault();

        private Builder(TunnelClientConfig client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Adds an endpoint; without any, the client config's server is the only one. */
        public Builder endpoint(Endpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (endpoints.stream().anyMatch(e -> e.uri().equals(endpoint.uri()))) {
                throw new IllegalArgumentException("Endpoint " + endpoint.uri() + " is already listed");
            }
            endpoints.add(endpoint);
            return this;
        }

        public Builder endpoint(URI uri, int priority, int weight) {
            return endpoint(new Endpoint(uri, priority, weight));
        }

        public Builder detectTimeout(Duration detectTimeout) {
            this.detectTimeout = positive("detectTimeout", detectTimeout);
            return this;
        }

        public Builder healthCheckInterval(Duration healthCheckInterval) {
            this.healthCheckInterval = positive("healthCheckInterval", healthCheckInterval);
            return this;
        }

        public Builder failbackDelay(Duration failbackDelay) {
            Objects.requireNonNull(failbackDelay, "failbackDelay");
            if (failbackDelay.isNegative()) {
                throw new IllegalArgumentException("failbackDelay must not be negative, was " + failbackDelay);
            }
            this.failbackDelay = failbackDelay;
            return this;
        }

        public Builder queueSize(int queueSize) {
            if (queueSize < 0) {
                throw new IllegalArgumentException("queueSize must be 0 or more, was " + queueSize);
            }
            this.queueSize = queueSize;
            return this;
        }

        public Builder queueDeadline(Duration queueDeadline) {
            this.queueDeadline = positive("queueDeadline", queueDeadline);
            return this;
        }

        /** How endpoints are checked; by default {@code GET /healthz} answered within the detect timeout. */
        public Builder healthCheck(HealthCheck healthCheck) {
            this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
            return this;
        }

        /** The clock behind the failback delay and queue deadlines. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The randomness behind weighted selection. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public FailoverConfig build() {
            return new FailoverConfig(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
