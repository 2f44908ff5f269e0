package online.cloudtolocalllm.tunnel.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential back-off with jitter between reconnect attempts.
 *
 * @param initialDelay the delay before the first retry
 * @param maxDelay the cap on any delay
 * @param multiplier how much each delay grows
 * @param jitter the fraction (0 to 1) by which a delay is randomly shortened, so clients do not retry in lock-step
 * @param maxAttempts attempts before the client gives up and fails; 0 means never give up
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter, int maxAttempts) {

    /** 1 s doubling to a 30 s cap, 20% jitter, retrying forever. */
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.2, 0);

    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive, was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than initialDelay " + initialDelay);
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must be 0 (forever) or positive, was " + maxAttempts);
        }
    }

    /** The delay before retry number {@code attempt} (1-based) without jitter. */
    public Duration baseDelay(int attempt) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
    }
}
