package online.cloudtolocalllm.tunnel.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;

/**
 * Scenario 4: time from starting a tunnel to the first successful request through it, interleaved tunnel by
 * tunnel: {@code ssh -N -L} and {@code ssh -N -R} from process start, our client JVM from process start (and, on a
 * JDK with AOT caches, from process start with a cache trained by one client run first), and our client from the
 * API call in this (running, warmed-up) JVM: once after 100 tunnels, and again, against OpenSSH again, after ~1,000.
 */
final class EstablishmentScenario implements Scenario {
    private static final int WARM_UP = 2;
    /**
     * Tunnels established from the API before measuring, discarded: the "JVM warm-up discarded", so the
     * API-call rows time a JVM whose handshake code the JIT has compiled (after two, it has not).
     */
    private static final int API_WARM_UP = 100;
    /**
     * Further API-call tunnels, discarded, before the API-call row is measured a second time. Each tunnel runs the
     * handshake code once, so the JIT reaches it slowly: after 100 tunnels it still compiles over a hundred methods a
     * second, and the p50 falls from ~19 ms to ~5 ms over the first 1,000 (stop 14's measurement).
     */
    private static final int API_LONG_WARM_UP = 900;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The JDK release whose {@code -XX:AOTCacheOutput} trains and writes an AOT cache in one run (JEP 514). */
    private static final int AOT_CACHE_RELEASE = 25;

    @Override
    public int number() {
        return 4;
    }

    @Override
    public void run(Rig rig, ResultSet results) throws Exception {
        List<Double> sshL = new ArrayList<>();
        List<Double> sshR = new ArrayList<>();
        List<Double> oursProcess = new ArrayList<>();
        List<Double> oursAot = new ArrayList<>();
        List<Double> oursApi = new ArrayList<>();
        int count = rig.settings().tunnelsToEstablish();
        for (int i = 0; i < API_WARM_UP; i++) {
            establishFromApi(rig, "warm" + i);
        }
        List<String> aotCache = trainAotCache(rig);
        for (int i = -WARM_UP; i < count; i++) {
            double l = openSshLocal(rig);
            double r = openSshRemote(rig);
            double process = oursFromProcess(rig, "process" + (i + WARM_UP), List.of());
            double aot = aotCache.isEmpty() ? Double.NaN : oursFromProcess(rig, "aot" + (i + WARM_UP), aotCache);
            double api = oursFromApi(rig, i);
            if (i >= 0) {
                sshL.add(l);
                sshR.add(r);
                oursProcess.add(process);
                oursApi.add(api);
                if (!aotCache.isEmpty()) {
                    oursAot.add(aot);
                }
            }
            Log.info("establishment %d: ssh -L %.0f ms, ssh -R %.0f ms, ours process %.0f ms (with AOT cache %.0f ms), ours API %.0f ms",
                    i, l, r, process, aot, api);
        }
        List<Double> sshLLater = new ArrayList<>();
        List<Double> sshRLater = new ArrayList<>();
        List<Double> oursApiLater = new ArrayList<>();
        for (int i = 0; i < API_LONG_WARM_UP; i++) {
            establishFromApi(rig, "warmer" + i);
        }
        for (int i = 0; i < count; i++) {
            sshLLater.add(openSshLocal(rig));
            sshRLater.add(openSshRemote(rig));
            oursApiLater.add(establishFromApi(rig, "later" + i));
            Log.info("establishment after %d API tunnels, %d: ssh -L %.0f ms, ssh -R %.0f ms, ours API %.0f ms",
                    API_WARM_UP + count + WARM_UP + API_LONG_WARM_UP, i, sshLLater.getLast(), sshRLater.getLast(),
                    oursApiLater.getLast());
        }
        for (double percentile : new double[] {50, 95}) {
            String p = "p" + (int) percentile;
            ResultSet.Metric.Key fromProcess = new ResultSet.Metric.Key("4 establishment",
                    p + " from process start (" + count + " tunnels)", "ms", false);
            results.add(fromProcess, Setups.SSH_L, Stats.percentile(sshL, percentile));
            results.add(fromProcess, Setups.SSH_R, Stats.percentile(sshR, percentile));
            results.add(fromProcess, Setups.OURS, Stats.percentile(oursProcess, percentile));
            if (!oursAot.isEmpty()) {
                ResultSet.Metric.Key withCache = new ResultSet.Metric.Key("4 establishment",
                        p + " from process start, ours with a JVM AOT cache", "ms", false);
                results.add(withCache, Setups.SSH_L, Stats.percentile(sshL, percentile));
                results.add(withCache, Setups.SSH_R, Stats.percentile(sshR, percentile));
                results.add(withCache, Setups.OURS, Stats.percentile(oursAot, percentile));
            }
            ResultSet.Metric.Key fromApi = new ResultSet.Metric.Key("4 establishment",
                    p + " ours from API call vs OpenSSH from process start", "ms", false);
            results.add(fromApi, Setups.SSH_L, Stats.percentile(sshL, percentile));
            results.add(fromApi, Setups.SSH_R, Stats.percentile(sshR, percentile));
            results.add(fromApi, Setups.OURS, Stats.percentile(oursApi, percentile));
            ResultSet.Metric.Key fromApiLater = new ResultSet.Metric.Key("4 establishment",
                    p + " ours from API call after ~1,000 API tunnels vs OpenSSH from process start", "ms", false);
            results.add(fromApiLater, Setups.SSH_L, Stats.percentile(sshLLater, percentile));
            results.add(fromApiLater, Setups.SSH_R, Stats.percentile(sshRLater, percentile));
            results.add(fromApiLater, Setups.OURS, Stats.percentile(oursApiLater, percentile));
        }
    }

    private static double openSshLocal(Rig rig) throws InterruptedException {
        int port = Ports.free();
        long start = System.nanoTime();
        Proc ssh = rig.openSsh().startLocal(port, rig.backend().port());
        try {
            return (HttpProbe.awaitOk(port, "/1k", rig.authorization(), TIMEOUT) - start) / 1e6;
        } finally {
            ssh.close();
        }
    }

    private static double openSshRemote(Rig rig) throws InterruptedException {
        int port = Ports.free();
        long start = System.nanoTime();
        Proc ssh = rig.openSsh().startRemote(port, rig.backend().port(), "ERROR");
        try {
            return (HttpProbe.awaitOk(port, "/1k", rig.authorization(), TIMEOUT) - start) / 1e6;
        } finally {
            ssh.close();
        }
    }

    /**
     * On JDK 25 and later, runs one client JVM with {@code -XX:AOTCacheOutput} until its tunnel is up and stops it,
     * which writes an AOT cache of the classes it loaded and linked and of its method profiles (JEP 483, 514, 515);
     * returns the option that starts a JVM from that cache, or nothing on an older JDK or if no cache was written.
     */
    private static List<String> trainAotCache(Rig rig) throws InterruptedException {
        if (Runtime.version().feature() < AOT_CACHE_RELEASE) {
            return List.of();
        }
        Path cache = rig.ours().dir().resolve("tunnel.aot");
        try (Proc training = rig.ours().startClient("aot-training", List.of("training=127.0.0.1:" + rig.backend().port()),
                List.of("-XX:AOTCacheOutput=" + cache))) {
            training.awaitLine(line -> line.startsWith("registered:"), TIMEOUT);
            training.stop(TIMEOUT); // the JVM writes the cache as it exits
        }
        if (!Files.isRegularFile(cache)) {
            Log.info("no AOT cache written at %s: the AOT rows are left out", cache);
            return List.of();
        }
        return List.of("-XX:AOTCache=" + cache);
    }

    private static double oursFromProcess(Rig rig, String service, List<String> jvmOptions) throws InterruptedException {
        long start = System.nanoTime();
        Proc client = rig.ours().startClient("establish-" + service, List.of(service + "=127.0.0.1:" + rig.backend().port()),
                jvmOptions);
        try {
            return (HttpProbe.awaitOk(rig.ours().ingressPort(), ingressPath(service), rig.authorization(), TIMEOUT) - start) / 1e6;
        } finally {
            client.close();
        }
    }

    private static double oursFromApi(Rig rig, int i) throws InterruptedException {
        return establishFromApi(rig, "api" + (i + WARM_UP));
    }

    private static double establishFromApi(Rig rig, String service) throws InterruptedException {
        long start = System.nanoTime();
        try (TunnelClient client = TunnelClient.create(clientConfig(rig.ours(), service, rig.backend().port()))) {
            client.start();
            return (HttpProbe.awaitOk(rig.ours().ingressPort(), ingressPath(service), rig.authorization(), TIMEOUT) - start) / 1e6;
        }
    }

    /** A client of our server exposing {@code service} on the backend, offering the algorithms OpenSSH is held to. */
    static TunnelClientConfig clientConfig(OurTunnel ours, String service, int port) {
        return TunnelClientConfig.builder().server(ours.serverUri()).token(ours.token())
                .hostKeys(new HostKeyPolicy.Pinned(List.of(ours.fingerprint())))
                .crypto(CryptoOptions.builder().kex(List.of(OpenSshConfig.KEX)).ciphers(List.of(OpenSshConfig.CIPHER)).build())
                .expose(service, "127.0.0.1", port).build();
    }

    private static String ingressPath(String service) {
        return "/t/" + OurTunnel.USER + "/" + service + "/1k";
    }
}
