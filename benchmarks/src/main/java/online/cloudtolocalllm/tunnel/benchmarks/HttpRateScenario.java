package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 2 (and the per-request half of 6): wrk requests per second for 1 KiB answers at 64 and 512 keep-alive
 * connections and with {@code Connection: close}; CPU seconds of both tunnel ends per 10,000 requests at 64 and at
 * 512. The keep-alive loads also run through our server's TCP listener, a plain port forward like {@code ssh -L}:
 * those rows (named with {@link #THROUGH_TCP}) set it beside the peers measured in the same rounds, which tells the
 * tunnel's cost apart from the ingress's (HTTP parsing, bearer check, upstream pool).
 */
final class HttpRateScenario implements Scenario {
    /** What a row measured through our TCP listener adds to its load's name. */
    static final String THROUGH_TCP = ", ours through its TCP listener";

    /** One wrk load shape. */
    record Load(String name, int connections, boolean close) {
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
            for (Target target : round(rig, load, 0)) {
                Wrk.run(target.url("/1k"), load.connections(), 1, headers); // warm-up, discarded
            }
            for (int repetition = 0; repetition < rig.settings().repetitions(); repetition++) {
                for (Target target : round(rig, load, repetition)) {
                    boolean throughTcp = target == rig.oursThroughTcp();
                    CpuMeter cpu = CpuMeter.start(target);
                    Wrk.Result result = Wrk.run(target.url("/1k"), load.connections(), seconds, headers);
                    CpuMeter.Used used = cpu.stop();
                    for (String row : rows(load, target, throughTcp)) {
                        results.add(new ResultSet.Metric.Key("2 HTTP", load.name() + row, "req/s", true), target.name(),
                                result.requestsPerSecond());
                        results.add(new ResultSet.Metric.Key("2 HTTP", load.name() + row + ": errors", "count", false),
                                target.name(), result.errors());
                        if (!load.close() && target.isTunnel() && result.requests() > 0) {
                            used.record(results, "per 10k requests (" + load.connections() + " keep-alive" + row + ")",
                                    target.name(), 10_000.0 / result.requests());
                        }
                    }
                    Log.info("wrk %s %s%s: %.0f req/s, %d errors", load.name(), target.name(),
                            throughTcp ? " through its TCP listener" : "", result.requestsPerSecond(), result.errors());
                }
            }
        }
        results.add(new ResultSet.Metric.Key("2 HTTP", "ingress pool reuse rate over every load above", "ratio", true),
                Setups.OURS, IngressPools.reuseRate(rig.ours().ingressPort()));
    }

    /**
     * Every setup in rotated order; for a keep-alive load also ours through its TCP listener, at a place that moves
     * on each repetition (never first in the first, so that a load's ingress row comes first in the report).
     */
    private static List<Target> round(Rig rig, Load load, int repetition) {
        List<Target> round = new ArrayList<>(rig.targets(repetition));
        if (!load.close()) {
            round.add((repetition + 1) % (round.size() + 1), rig.oursThroughTcp());
        }
        return round;
    }

    /**
     * The row suffixes a measurement goes to: ours through the TCP listener only to its own rows, ours through the
     * ingress only to the plain ones, a peer's keep-alive results to both (they are the same rounds).
     */
    static List<String> rows(Load load, Target target, boolean throughTcp) {
        if (throughTcp) {
            return List.of(THROUGH_TCP);
        }
        return load.close() || target.name().equals(Setups.OURS) ? List.of("") : List.of("", THROUGH_TCP);
    }
}
