package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 2 (and the per-request half of 6): wrk requests per second for 1 KiB answers at 64 and 512 keep-alive
 * connections and with {@code Connection: close}; CPU seconds of both tunnel ends per 10,000 requests at 64 and at
 * 512.
 */
final class HttpRateScenario implements Scenario {
    /** One wrk load shape. */
    private record Load(String name, int connections, boolean close) {
    }

    private static final List<Load> LOADS = List.of(new Load("64 keep-alive connections", 64, false),
            new Load("512 keep-alive connections", 512, false), new Load("64 connections, Connection: close", 64, true));

    @Override
    public int number() {
        return 2;
    }

    @Override
    public void run(Rig rig, ResultSet results) throws java.io.IOException, InterruptedException {
        int seconds = rig.settings().wrkSeconds();
        for (Load load : LOADS) {
            List<String> headers = new ArrayList<>(List.of("Authorization: " + rig.authorization()));
            if (load.close()) {
                headers.add("Connection: close");
            }
            for (Target target : rig.targets(0)) {
                Wrk.run(target.url("/1k"), load.connections(), 1, headers); // warm-up, discarded
            }
            ResultSet.Metric.Key rate = new ResultSet.Metric.Key("2 HTTP", load.name(), "req/s", true);
            ResultSet.Metric.Key errors = new ResultSet.Metric.Key("2 HTTP", load.name() + ": errors", "count", false);
            for (int repetition = 0; repetition < rig.settings().repetitions(); repetition++) {
                for (Target target : rig.targets(repetition)) {
                    CpuMeter cpu = CpuMeter.start(target);
                    Wrk.Result result = Wrk.run(target.url("/1k"), load.connections(), seconds, headers);
                    CpuMeter.Used used = cpu.stop();
                    results.add(rate, target.name(), result.requestsPerSecond());
                    results.add(errors, target.name(), result.errors());
                    if (!load.close() && target.isTunnel() && result.requests() > 0) {
                        used.record(results, "per 10k requests (" + load.connections() + " keep-alive)", target.name(),
                                10_000.0 / result.requests());
                    }
                    Log.info("wrk %s %s: %.0f req/s, %d errors", load.name(), target.name(), result.requestsPerSecond(), result.errors());
                }
            }
        }
        results.add(new ResultSet.Metric.Key("2 HTTP", "ingress pool reuse rate over every load above", "ratio", true),
                Setups.OURS, IngressPools.reuseRate(rig.ours().ingressPort()));
    }
}
