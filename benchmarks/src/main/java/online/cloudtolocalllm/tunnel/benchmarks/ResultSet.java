package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every value measured in a run, per metric and setup. */
final class ResultSet {
    private final Map<String, Metric> metrics = new LinkedHashMap<>();

    /** Records one repetition's value of a metric through one setup. */
    synchronized void add(Metric.Key key, String setup, double value) {
        metrics.computeIfAbsent(key.id(), id -> new Metric(key, new LinkedHashMap<>()))
                .samples().computeIfAbsent(setup, s -> new ArrayList<>()).add(value);
    }

    /** Every metric, by scenario, and in recording order within a scenario. */
    synchronized List<Metric> metrics() {
        return metrics.values().stream().sorted(Comparator.comparing(metric -> metric.key().scenario())).toList();
    }

    /**
     * One measured quantity and its samples per setup.
     *
     * @param key what is measured
     * @param samples the repetitions' values by setup name
     */
    record Metric(Key key, Map<String, List<Double>> samples) {
        /**
         * @param scenario the scenario number and name, like {@code 1 bulk}
         * @param name the metric, like {@code 1 stream}
         * @param unit the unit, like {@code MB/s}
         * @param higherIsBetter whether a larger value is the better one
         */
        record Key(String scenario, String name, String unit, boolean higherIsBetter) {
            String id() {
                return scenario + " / " + name;
            }
        }
    }
}
