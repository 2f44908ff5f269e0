package online.cloudtolocalllm.tunnel.core;

import java.time.Duration;
import java.util.random.RandomGenerator;
import online.cloudtolocalllm.tunnel.api.ReconnectPolicy;

/** Reconnect delays: exponential from the policy's base, shortened by up to its jitter fraction at random. */
final class Backoff {
    private final ReconnectPolicy policy;
    private final RandomGenerator random;

    Backoff(ReconnectPolicy policy, RandomGenerator random) {
        this.policy = policy;
        this.random = random;
    }

    /** The delay before retry {@code attempt} (1-based). */
    Duration delay(int attempt) {
        long base = policy.baseDelay(attempt).toMillis();
        long cut = (long) (base * policy.jitter() * random.nextDouble());
        return Duration.ofMillis(Math.max(1, base - cut));
    }

    boolean exhausted(int attempt) {
        return policy.maxAttempts() > 0 && attempt > policy.maxAttempts();
    }
}
