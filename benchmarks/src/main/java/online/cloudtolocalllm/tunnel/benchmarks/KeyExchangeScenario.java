package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;

/**
 * Issue 6's post-quantum cost: the time from {@code TunnelClient.start()} in this warm JVM to the tunnel being
 * connected (WebSocket, key exchange, login, service registered) with each key exchange our default profile offers,
 * interleaved connection by connection, and the post-quantum ones as a ratio to {@code curve25519-sha256}; then the
 * CPU time each connection costs the server process and this (client) JVM, from batches of one exchange at a time,
 * interleaved, since wall time on a shared core also counts waiting. Ours only.
 */
final class KeyExchangeScenario implements Scenario {
    static final String CLASSICAL = "curve25519-sha256";
    static final List<String> EXCHANGES = List.of(CLASSICAL, "sntrup761x25519-sha512", "mlkem768x25519-sha256");
    /**
     * Discarded connections per exchange: enough for the JIT to compile each exchange's code on both ends, as it is
     * on a server that has been up a while (cold, Bouncy Castle's ML-KEM takes ~1.5 ms per exchange instead of 0.34; after
     * 50 rounds mlkem768x25519 was still 1.26 times curve25519, after 200 it is 1.05 times).
     */
    private static final int WARM_UP = 200;
    /** Connections timed per exchange: at ~10 ms each, the ratio of two medians of 30 moved by 0.1 between runs. */
    private static final int SAMPLES = 100;
    /** Rounds of CPU batches, each one batch per exchange in turn, so drift on the machine hits all of them alike. */
    private static final int CPU_ROUNDS = 4;
    /** Connections per CPU batch: ~3 ms of CPU each against the 10 ms tick of {@code /proc}. */
    private static final int CPU_BATCH = 50;

    @Override
    public int number() {
        return 9;
    }

    @Override
    public void run(Rig rig, ResultSet results) throws Exception {
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        EXCHANGES.forEach(kex -> samples.put(kex, new ArrayList<>()));
        int count = rig.settings().quick() ? rig.settings().tunnelsToEstablish() : SAMPLES;
        for (int i = -WARM_UP; i < count; i++) {
            for (String kex : EXCHANGES) {
                double millis = connect(rig.ours(), kex, rig.backend().port());
                if (i >= 0) {
                    samples.get(kex).add(millis);
                }
            }
        }
        double classicalMedian = Stats.median(samples.get(CLASSICAL));
        for (Map.Entry<String, List<Double>> entry : samples.entrySet()) {
            for (double percentile : new double[] {50, 95}) {
                results.add(new ResultSet.Metric.Key("9 key exchange", "p" + (int) percentile + " API call to connected, "
                        + entry.getKey() + " (" + count + " connections)", "ms", false), Setups.OURS,
                        Stats.percentile(entry.getValue(), percentile));
            }
            if (!entry.getKey().equals(CLASSICAL)) {
                results.add(new ResultSet.Metric.Key("9 key exchange", "median " + entry.getKey() + " / " + CLASSICAL,
                        "ratio", false), Setups.OURS, Stats.median(entry.getValue()) / classicalMedian);
            }
            Log.info("key exchange %s: p50 %.1f ms", entry.getKey(), Stats.median(entry.getValue()));
        }
        recordCpu(rig, results);
    }

    /** CPU milliseconds per connection of the server and of this JVM (the client), and both as a ratio to classical. */
    private static void recordCpu(Rig rig, ResultSet results) throws Exception {
        Map<String, double[]> cpu = new LinkedHashMap<>(); // kex -> {server s, client s, connections}
        EXCHANGES.forEach(kex -> cpu.put(kex, new double[3]));
        int rounds = rig.settings().quick() ? 1 : CPU_ROUNDS;
        int batch = rig.settings().quick() ? rig.settings().tunnelsToEstablish() : CPU_BATCH;
        List<Long> server = List.of(rig.ours().serverPid());
        List<Long> client = List.of(ProcessHandle.current().pid());
        for (int round = 0; round < rounds; round++) {
            for (String kex : EXCHANGES) {
                double serverBefore = ProcFs.cpuSeconds(server);
                double clientBefore = ProcFs.cpuSeconds(client);
                for (int i = 0; i < batch; i++) {
                    connect(rig.ours(), kex, rig.backend().port());
                }
                double[] sums = cpu.get(kex);
                sums[0] += ProcFs.cpuSeconds(server) - serverBefore;
                sums[1] += ProcFs.cpuSeconds(client) - clientBefore;
                sums[2] += batch;
            }
        }
        double[] classical = cpu.get(CLASSICAL);
        double classicalBoth = (classical[0] + classical[1]) / classical[2];
        for (Map.Entry<String, double[]> entry : cpu.entrySet()) {
            double[] sums = entry.getValue();
            String suffix = ", " + entry.getKey() + " (" + (int) sums[2] + " connections)";
            results.add(new ResultSet.Metric.Key("9 key exchange", "server CPU per connection" + suffix, "CPU ms", false),
                    Setups.OURS, sums[0] / sums[2] * 1000);
            results.add(new ResultSet.Metric.Key("9 key exchange", "client JVM CPU per connection" + suffix, "CPU ms", false),
                    Setups.OURS, sums[1] / sums[2] * 1000);
            if (!entry.getKey().equals(CLASSICAL)) {
                results.add(new ResultSet.Metric.Key("9 key exchange", "CPU both ends " + entry.getKey() + " / " + CLASSICAL,
                        "ratio", false), Setups.OURS, (sums[0] + sums[1]) / sums[2] / classicalBoth);
            }
            Log.info("key exchange %s: server %.2f ms, client %.2f ms CPU per connection", entry.getKey(),
                    sums[0] / sums[2] * 1000, sums[1] / sums[2] * 1000);
        }
    }

    private static double connect(OurTunnel ours, String kex, int backendPort) throws Exception {
        TunnelClientConfig config = TunnelClientConfig.builder().server(ours.serverUri()).token(ours.token())
                .hostKeys(new HostKeyPolicy.Pinned(List.of(ours.fingerprint())))
                .crypto(CryptoOptions.builder().kex(List.of(kex)).ciphers(List.of(OpenSshConfig.CIPHER)).build())
                .expose("kex", "127.0.0.1", backendPort).build();
        long start = System.nanoTime();
        try (TunnelClient client = TunnelClient.create(config)) {
            client.start().get(60, TimeUnit.SECONDS);
            return (System.nanoTime() - start) / 1e6;
        }
    }
}
