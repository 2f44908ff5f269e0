package online.cloudtolocalllm.tunnel.benchmarks;

/**
 * Spins on {@link System#nanoTime} for the given seconds and prints what {@link Stalls} saw: how much a core this
 * machine lends us is taken away while we run. {@link Machine#stalls} starts one pinned to each core.
 */
public final class StallProbe {
    private static final long WARM_UP_NANOS = 1_000_000_000L;

    private StallProbe() {
    }

    public static void main(String[] args) {
        spin(WARM_UP_NANOS, new Stalls()); // the loop compiles meanwhile
        Stalls stalls = new Stalls();
        spin((long) (Double.parseDouble(args[0]) * 1e9), stalls);
        System.out.println(stalls.describe());
    }

    private static void spin(long nanos, Stalls stalls) {
        long start = System.nanoTime();
        long last = start;
        while (last - start < nanos) {
            long now = System.nanoTime();
            stalls.gap(now - last);
            last = now;
        }
    }
}
