package online.cloudtolocalllm.tunnel.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 4's failover time: two of our servers and one client given both (equal priority, so the client stays where
 * it lands), then, repeatedly, kill -9 of the server the client is on and the time until a request through the other
 * server's ingress is answered. The killed server comes back before the next round. Ours only: OpenSSH has no
 * failover.
 */
final class FailoverScenario implements Scenario {
    private static final Duration DETECT = Duration.ofSeconds(2);

    @Override
    public int number() {
        return 8;
    }

    @Override
    public void run(Rig rig, ResultSet results) throws Exception {
        OurTunnel ours = rig.ours();
        Path dir = rig.dir().resolve("failover");
        List<OurServer> servers = new ArrayList<>(List.of(OurServer.start(ours.jar(), dir.resolve("a"), Ports.free()),
                OurServer.start(ours.jar(), dir.resolve("b"), Ports.free())));
        String path = "/t/" + OurTunnel.USER + "/" + OurTunnel.HTTP_SERVICE + "/1k";
        List<String> arguments = new ArrayList<>(List.of("client", "--token", ours.token(), "--failover-detect", DETECT.toSeconds() + "s",
                "--fingerprint", servers.get(0).fingerprint() + "," + servers.get(1).fingerprint(),
                "--expose", OurTunnel.HTTP_SERVICE + "=127.0.0.1:" + rig.backend().port()));
        for (OurServer server : servers) {
            arguments.addAll(List.of("--server", server.uri() + "#priority=0"));
        }
        ResultSet.Metric.Key moved = new ResultSet.Metric.Key("8 failover",
                "kill -9 of the live server to the first answer through the other (detect " + DETECT.toSeconds() + " s)", "ms", false);
        try (Proc client = ours.startProcess("failover-client", arguments)) {
            client.awaitLine(line -> line.startsWith("registered:"), Duration.ofSeconds(60));
            for (int repetition = 0; repetition < rig.settings().repetitions(); repetition++) {
                int live = HttpProbe.status(servers.get(0).port(), path, rig.authorization()) == 200 ? 0 : 1;
                OurServer killed = servers.get(live);
                OurServer backup = servers.get(1 - live);
                killed.kill();
                long lost = System.nanoTime();
                long answered = HttpProbe.awaitOk(backup.port(), path, rig.authorization(), Duration.ofSeconds(60));
                double millis = (answered - lost) / 1e6;
                results.add(moved, Setups.OURS, millis);
                Log.info("failover %d: %.0f ms", repetition + 1, millis);
                servers.set(live, killed.restart());
            }
        } finally {
            servers.forEach(OurServer::close);
        }
    }
}
