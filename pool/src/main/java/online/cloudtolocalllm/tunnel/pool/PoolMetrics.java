package online.cloudtolocalllm.tunnel.pool;

import java.time.Duration;
import java.util.Map;

/**
 * A snapshot of a pool's counters.
 *
 * @param size items open now (idle plus in use)
 * @param idle items waiting to be used
 * @param inUse items leased out
 * @param created items opened since start
 * @param reused leases served by an item that had been used before
 * @param retired items let go, by reason
 * @param healthCheckFailures health checks that failed
 * @param waits leases that had to wait for a free item
 * @param totalWait the time those leases waited, together
 * @param maxWait the longest wait
 */
public record PoolMetrics(int size, int idle, int inUse, long created, long reused, Map<RetireReason, Long> retired,
        long healthCheckFailures, long waits, Duration totalWait, Duration maxWait) {

    public PoolMetrics {
        retired = Map.copyOf(retired);
    }

    /** The share of leases served by reuse rather than by opening something new (0 to 1). */
    public double reuseRate() {
        long leases = created + reused;
        return leases == 0 ? 0 : (double) reused / leases;
    }
}
