package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.Locale;

/** Formats measured values for people: about three significant digits, no exponent. */
final class Numbers {
    private Numbers() {
    }

    static String format(double value) {
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 || value == 0 ? "%.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** A ratio like {@code 0.42×}, or {@code 0.004×} for small ones. */
    static String ratio(double value) {
        return String.format(Locale.ROOT, Math.abs(value) < 0.1 ? "%.3f×" : "%.2f×", value);
    }
}
