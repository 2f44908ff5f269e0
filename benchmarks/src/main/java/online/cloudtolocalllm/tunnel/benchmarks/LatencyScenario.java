package online.cloudtolocalllm.tunnel.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 3: latency percentiles of 1 KiB requests at a fixed moderate rate (h2load {@code --rps}), and what each
 * tunnel adds to the direct ones measured in the same repetition.
 */
final class LatencyScenario implements Scenario {
    private static final double[] PERCENTILES = {50, 99, 99.9};

    @Override
    public int number() {
        return 3;
    }

    @Override
    public void run(Rig rig, ResultSet results) throws Exception {
        Settings settings = rig.settings();
        int rate = settings.latencyConnections() * settings.latencyRatePerConnection();
        Path log = rig.dir().resolve("h2load.log");
        for (Target target : rig.targets(0)) {
            H2load.run(target.url("/1k"), settings.latencyConnections(), settings.latencyRatePerConnection(), 2,
                    rig.authorization(), log); // warm-up, discarded
        }
        for (int repetition = 0; repetition < settings.repetitions(); repetition++) {
            Map<String, List<Double>> latencies = new HashMap<>();
            try {
                for (Target target : rig.targets(repetition)) {
                    latencies.put(target.name(), H2load.run(target.url("/1k"), settings.latencyConnections(),
                            settings.latencyRatePerConnection(), settings.latencySeconds(), rig.authorization(), log));
                }
            } catch (IllegalStateException e) {
                // added latency needs every setup of the same repetition: a broken one drops the repetition
                Log.info("latency repetition %d dropped: %s", repetition, e.getMessage());
                continue;
            }
            for (double percentile : PERCENTILES) {
                String p = "p" + Numbers.format(percentile).replaceAll("\\.0+$", "");
                double direct = Stats.percentile(latencies.get(Setups.DIRECT), percentile);
                for (Map.Entry<String, List<Double>> entry : latencies.entrySet()) {
                    double value = Stats.percentile(entry.getValue(), percentile);
                    results.add(new ResultSet.Metric.Key("3 latency", p + " at " + rate + " req/s", "ms", false), entry.getKey(), value);
                    if (!entry.getKey().equals(Setups.DIRECT)) {
                        results.add(new ResultSet.Metric.Key("3 latency", p + " added to direct", "ms", false), entry.getKey(),
                                value - direct);
                    }
                }
                Log.info("latency %s: %s", p, latencies.keySet().stream()
                        .map(name -> name + "=" + Numbers.format(Stats.percentile(latencies.get(name), percentile)))
                        .toList());
            }
        }
    }
}
