package online.cloudtolocalllm.tunnel.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a connection pool is sized and kept fresh.
 *
 * @param minIdle connections kept open ahead of demand (warm-up)
 * @param maxSize the most connections at once
 * @param maxAge connections older than this are retired (1 hour by default)
 * @param maxIdle connections idle longer than this are retired
 */
public record PoolSettings(int minIdle, int maxSize, Duration maxAge, Duration maxIdle) {

    /**
     * No warm-up, up to 1024 connections, retired after an hour or 60 s idle. The size lets 512 concurrent callers
     * each have a connection: with 256, half of them queued for one and the server did 20 % more work per request.
     */
    public static final PoolSettings DEFAULT = new PoolSettings(0, 1024, Duration.ofHours(1), Duration.ofSeconds(60));

    public PoolSettings {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(maxIdle, "maxIdle");
        if (minIdle < 0 || maxSize < 1 || minIdle > maxSize) {
            throw new IllegalArgumentException("Need 0 <= minIdle <= maxSize and maxSize >= 1, got minIdle " + minIdle
                    + " and maxSize " + maxSize);
        }
        Durations.positive("maxAge", maxAge);
        Durations.positive("maxIdle", maxIdle);
    }
}
