package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of samples: median, min–max and nearest-rank percentiles. */
final class Stats {
    private Stats() {
    }

    /** The median, the mean of the two middle values for an even count. */
    static double median(Collection<Double> samples) {
        double[] sorted = sorted(samples);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The nearest-rank percentile: the smallest sample with at least {@code percent}% of samples at or below it. */
    static double percentile(Collection<Double> samples, double percent) {
        return percentileOfSorted(sorted(samples), percent);
    }

    /** {@link #percentile} of samples already in ascending order. */
    static double percentileOfSorted(double[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in (0, 100], was " + percent);
        }
        // the epsilon keeps binary rounding (99.9 / 100 * 1000 = 999.0000000000001) from skipping a rank
        int rank = (int) Math.ceil(percent * sorted.length / 100 - 1e-9);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** Median and range of samples. */
    static Spread spread(Collection<Double> samples) {
        double[] sorted = sorted(samples);
        return new Spread(median(samples), sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    private static double[] sorted(Collection<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        double[] values = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(values);
        return values;
    }

    /** Median, minimum, maximum and count of a set of repetitions. */
    record Spread(double median, double min, double max, int count) {
    }
}
