package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.List;

/**
 * Runs load through every tunnel before any measurement, until our JVMs are compiled for it: each kind of load
 * repeats in rounds until two rounds in a row agree within {@link #STEADY} (at most {@link #MAX_ROUNDS}). On this
 * machine the JIT needs about 15 s of requests and 4 GiB of bulk data to settle; a fixed short warm-up left the
 * first measured repetitions at half speed. Nothing here is measured.
 */
final class WarmUp {
    /** Two successive rounds within 5 % of each other: the rate has settled. */
    static final double STEADY = 0.05;
    static final int MAX_ROUNDS = 12;

    private WarmUp() {
    }

    /** A round of load; returns its rate. */
    @FunctionalInterface
    interface Round {
        double run() throws Exception;
    }

    static void run(Rig rig) throws Exception {
        boolean quick = rig.settings().quick();
        List<String> headers = List.of("Authorization: " + rig.authorization());
        long bulkBytes = (quick ? 64 : 512) * Settings.MIB;
        for (Target target : rig.targets(0)) {
            if (target.isTunnel()) {
                requests(target.name(), target, quick, headers);
                untilSteady(target.name() + " bulk", quick, () -> {
                    long start = System.nanoTime();
                    BulkService.upload(target.bulkPort(), bulkBytes);
                    return bulkBytes / ((System.nanoTime() - start) / 1e9);
                });
                untilSteady(target.name() + " bulk download", quick, () -> {
                    long start = System.nanoTime();
                    BulkService.download(target.bulkPort(), bulkBytes);
                    return bulkBytes / ((System.nanoTime() - start) / 1e9);
                });
                NdjsonReader.read(target.httpPort(), target.pathPrefix() + "/ndjson?tokens=10&gapMs=1", rig.authorization());
            }
        }
        requests(Setups.OURS + " through its TCP listener", rig.oursThroughTcp(), quick, headers);
        Log.info("warmed up");
    }

    private static void requests(String name, Target target, boolean quick, List<String> headers) throws Exception {
        untilSteady(name + " requests", quick, () -> Wrk.run(target.url("/1k"), 64, 3, headers).requestsPerSecond());
        Wrk.run(target.url("/1k"), 512, quick ? 1 : 3, headers); // opens the upstreams 512 callers need
    }

    /** Repeats {@code round} until its rate settles (see {@link #settled}); a quick run does it once. */
    static int untilSteady(String what, boolean quick, Round round) throws Exception {
        double previous = round.run();
        int rounds = 1;
        while (!quick && rounds < MAX_ROUNDS) {
            double rate = round.run();
            rounds++;
            if (settled(previous, rate)) {
                break;
            }
            previous = rate;
        }
        Log.info("warm-up %s: %d rounds", what, rounds);
        return rounds;
    }

    /** Whether {@code rate} is within {@link #STEADY} of {@code previous}. */
    static boolean settled(double previous, double rate) {
        return Math.abs(rate - previous) <= STEADY * previous;
    }
}
