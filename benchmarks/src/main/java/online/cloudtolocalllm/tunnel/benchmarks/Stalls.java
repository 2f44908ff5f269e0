package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.Locale;

/**
 * The gaps a spinning thread saw between two consecutive clock reads: time its core was taken from it (by the
 * hypervisor, another process, an interrupt). Only gaps over {@link #THRESHOLD_NANOS} count; shorter ones are the
 * loop itself.
 */
final class Stalls {
    static final long THRESHOLD_NANOS = 50_000;
    private static final long LONG_NANOS = 1_000_000;

    private long observedNanos;
    private long lostNanos;
    private long count;
    private long longCount;
    private long longestNanos;

    /** Adds the time from one clock read to the next. */
    void gap(long nanos) {
        observedNanos += nanos;
        if (nanos > THRESHOLD_NANOS) {
            lostNanos += nanos;
            count++;
            longestNanos = Math.max(longestNanos, nanos);
            if (nanos > LONG_NANOS) {
                longCount++;
            }
        }
    }

    /** Like "2.5 % of 5.0 s lost in 1300 stalls over 50 µs, 57 over 1 ms, the longest 6.20 ms". */
    String describe() {
        double percent = observedNanos == 0 ? 0 : 100.0 * lostNanos / observedNanos;
        return String.format(Locale.ROOT, "%.1f %% of %.1f s lost in %d stalls over %d µs, %d over 1 ms, the longest %.2f ms",
                percent, observedNanos / 1e9, count, THRESHOLD_NANOS / 1000, longCount, longestNanos / 1e6);
    }
}
