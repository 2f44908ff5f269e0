package online.cloudtolocalllm.tunnel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.JavaProcess;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The primary dies, the tunnel moves to the backup; the primary comes back on its port, and once it has been healthy
 * for the failback delay the tunnel moves back, connecting there before letting the backup session go, while traffic
 * keeps flowing.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailoverFailbackTest {
    private static final Duration FAILBACK_DELAY = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private final List<TunnelEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    void theTunnelFailsBackToTheRecoveredPrimaryAfterTheDelayWithoutLosingAStream() throws Exception {
        TestHttpService llm = closing(TestHttpService.start());
        TcpTestService echo = closing(TcpTestService.echo());
        JavaProcess a = ServerProcess.launch(0, dir.resolve("a"));
        JavaProcess b = ServerProcess.launch(0, dir.resolve("b"));
        ServerProcess primary = closing(ServerProcess.ready(a));
        ServerProcess backup = closing(ServerProcess.ready(b));
        FailoverTunnelClient client = FailoverTunnelClient.create(FailoverConfig.builder(
                        FailoverChaosTest.clientConfig(primary, backup, llm, events::add))
                .endpoint(primary.tunnelUri(), 0, 1)
                .endpoint(backup.tunnelUri(), 1, 1)
                .detectTimeout(Duration.ofSeconds(2))
                .healthCheckInterval(Duration.ofMillis(250))
                .failbackDelay(FAILBACK_DELAY)
                .build());
        closing(client::shutdownNow);
        client.start().get(30, TimeUnit.SECONDS);

        primary.killHard();
        Await.until(Duration.ofSeconds(15), "the tunnel on the backup", () -> backup.tunnelUri().equals(live(client)));
        ServerProcess restarted = closing(ServerProcess.ready(ServerProcess.launch(primary.port(), dir.resolve("a"))));
        Traffic traffic = new Traffic(() -> URI.create("http://127.0.0.1:" + port(live(client))), client, echo.port());
        try {
            Await.until(Duration.ofSeconds(20), "the tunnel back on the primary", () -> restarted.tunnelUri().equals(live(client)));
            long backAt = System.nanoTime();
            Await.until(Duration.ofSeconds(10), "traffic through the primary again",
                    () -> traffic.okSince(Traffic.Kind.FORWARD, backAt) >= 10 && traffic.okSince(Traffic.Kind.INGRESS, backAt) >= 10);
        } finally {
            traffic.stop();
        }

        TunnelEvent up = events.stream().filter(e -> e.type() == TunnelEvent.Type.ENDPOINT_UP
                && e.endpoint().equals(primary.tunnelUri().toString())).reduce((first, second) -> second).orElseThrow();
        TunnelEvent failback = events.stream().filter(e -> e.type() == TunnelEvent.Type.FAILBACK).findFirst().orElseThrow();
        System.out.println(traffic.report("failback") + "\n  " + failback.detail() + "; primary healthy "
                + Duration.between(up.time(), failback.time()).toMillis() + " ms before the failback was done");
        assertThat(failback.detail()).contains("from " + backup.tunnelUri() + " to " + primary.tunnelUri());
        assertThat(Duration.between(up.time(), failback.time())).as("not before the delay").isGreaterThanOrEqualTo(FAILBACK_DELAY);
        assertThat(traffic.results()).hasSize(traffic.sent());
        assertThat(traffic.count(Traffic.Kind.FORWARD, Traffic.Outcome.ERROR)).as("make-before-break: no stream lost").isZero();
        assertThat(traffic.count(Traffic.Kind.FORWARD, Traffic.Outcome.HUNG)).isZero();
        assertThat(traffic.count(Traffic.Kind.INGRESS, Traffic.Outcome.HUNG)).isZero();
    }

    private static URI live(FailoverTunnelClient client) {
        Endpoint live = client.status().live();
        return live == null ? null : live.uri();
    }

    private static int port(URI uri) {
        return uri == null ? 1 : uri.getPort();
    }
}
