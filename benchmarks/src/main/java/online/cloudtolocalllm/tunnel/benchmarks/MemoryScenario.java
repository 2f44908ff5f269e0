package online.cloudtolocalllm.tunnel.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 5: memory per 100 idle tunnels, as the growth between a tenth of the tunnels and all of them (so that
 * start-up and class loading do not count): OpenSSH as {@code ssh -N -R} processes and the sshd processes serving
 * them; ours as one client JVM holding every tunnel (a client JVM per tunnel would measure the JVM, not the tunnel)
 * and our server. Resident memory (RSS, and PSS, which splits pages that forked processes share) from
 * {@code /proc}, heap after a full GC from {@code jcmd}.
 */
final class MemoryScenario implements Scenario {
    private static final String SCENARIO = "5 memory";
    private static final int BATCH = 25;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Override
    public int number() {
        return 5;
    }

    @Override
    public void run(Rig rig, ResultSet results) throws Exception {
        int all = rig.settings().idleTunnels();
        int first = all / 10;
        openSsh(rig, results, first, all);
        ours(rig, results, first, all);
    }

    private static void openSsh(Rig rig, ResultSet results, int first, int all) throws InterruptedException {
        List<Proc> clients = new ArrayList<>();
        try {
            open(rig, clients, first);
            List<Long> clientPids = clients.stream().map(Proc::pid).toList();
            double serverBefore = ProcFs.rssKib(rig.openSsh().sshdPids());
            double serverPssBefore = ProcFs.pssKib(rig.openSsh().sshdPids());
            double clientsBefore = ProcFs.rssKib(clientPids);
            double clientsPssBefore = ProcFs.pssKib(clientPids);
            open(rig, clients, all);
            List<Long> allClientPids = clients.stream().map(Proc::pid).toList();
            double serverAfter = ProcFs.rssKib(rig.openSsh().sshdPids());
            double clientsAfter = ProcFs.rssKib(allClientPids);
            record(results, "server RSS", Setups.SSH_R, serverBefore, serverAfter, first, all);
            record(results, "server PSS", Setups.SSH_R, serverPssBefore, ProcFs.pssKib(rig.openSsh().sshdPids()), first, all);
            record(results, "client RSS", Setups.SSH_R, clientsBefore, clientsAfter, first, all);
            record(results, "client PSS", Setups.SSH_R, clientsPssBefore, ProcFs.pssKib(allClientPids), first, all);
            results.add(new ResultSet.Metric.Key(SCENARIO, "server RSS at " + all + " tunnels", "MiB", false), Setups.SSH_R,
                    serverAfter / 1024);
        } finally {
            clients.forEach(Proc::close);
        }
    }

    /** Starts {@code ssh -N -R 0:...} processes, a batch at a time, until {@code count} are connected. */
    private static void open(Rig rig, List<Proc> clients, int count) throws InterruptedException {
        while (clients.size() < count) {
            List<Proc> batch = new ArrayList<>();
            for (int i = 0; i < BATCH && clients.size() + batch.size() < count; i++) {
                batch.add(rig.openSsh().startRemote(0, rig.backend().port(), "INFO"));
            }
            clients.addAll(batch);
            for (Proc ssh : batch) {
                ssh.awaitLine(line -> line.startsWith("Allocated port"), Duration.ofSeconds(60));
            }
        }
        Log.info("memory: %d ssh -R connected", clients.size());
    }

    private static void ours(Rig rig, ResultSet results, int first, int all) throws InterruptedException {
        OurTunnel ours = rig.ours();
        Proc fleet = Proc.start("fleet", Pinning.TUNNEL_CORE, List.of(Jvm.javaBinary(), "-cp", System.getProperty("java.class.path"),
                        ClientFleet.class.getName(), ours.serverUri(), ours.token(), ours.fingerprint(),
                        Integer.toString(rig.backend().port()), Integer.toString(first), Integer.toString(all)),
                rig.dir().resolve("fleet.log"));
        try {
            fleet.awaitLine(line -> line.equals("at " + first), TIMEOUT);
            long serverHeapBefore = Jvm.heapAfterGcKib(ours.serverPid());
            long clientHeapBefore = Jvm.heapAfterGcKib(fleet.pid());
            long serverBefore = ProcFs.rssKib(ours.serverPid());
            long serverPssBefore = ProcFs.pssKib(ours.serverPid());
            long clientBefore = ProcFs.rssKib(fleet.pid());
            long clientPssBefore = ProcFs.pssKib(fleet.pid());
            fleet.send("next");
            fleet.awaitLine(line -> line.equals("at " + all), TIMEOUT);
            Log.info("memory: %d of our tunnels connected", all);
            long serverHeapAfter = Jvm.heapAfterGcKib(ours.serverPid());
            long clientHeapAfter = Jvm.heapAfterGcKib(fleet.pid());
            long serverAfter = ProcFs.rssKib(ours.serverPid());
            long clientAfter = ProcFs.rssKib(fleet.pid());
            record(results, "server RSS", Setups.OURS, serverBefore, serverAfter, first, all);
            record(results, "server PSS", Setups.OURS, serverPssBefore, ProcFs.pssKib(ours.serverPid()), first, all);
            record(results, "client RSS", Setups.OURS, clientBefore, clientAfter, first, all);
            record(results, "client PSS", Setups.OURS, clientPssBefore, ProcFs.pssKib(fleet.pid()), first, all);
            record(results, "server heap after GC", Setups.OURS, serverHeapBefore, serverHeapAfter, first, all);
            record(results, "client heap after GC", Setups.OURS, clientHeapBefore, clientHeapAfter, first, all);
            results.add(new ResultSet.Metric.Key(SCENARIO, "server RSS at " + all + " tunnels", "MiB", false), Setups.OURS,
                    serverAfter / 1024.0);
        } finally {
            fleet.close();
        }
    }

    private static void record(ResultSet results, String what, String setup, double beforeKib, double afterKib, int first, int all) {
        double perHundredMib = (afterKib - beforeKib) / (all - first) * 100 / 1024;
        results.add(new ResultSet.Metric.Key(SCENARIO, what + " per 100 idle tunnels (" + first + " → " + all + ")", "MiB", false),
                setup, perHundredMib);
        Log.info("memory %s %s: %.2f MiB per 100", setup, what, perHundredMib);
    }
}
