package online.cloudtolocalllm.tunnel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.JavaProcess;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real server processes on loopback, a failover client exposing alice's {@code llm} service, and a steady stream
 * of ingress requests (sent where the tunnel is live, as a front door would) and forward streams through the
 * client. The live server is killed (-9), stopped gracefully, or paused (SIGSTOP, a half-open connection); every
 * request is counted, none may hang, and traffic must resume on the backup within the detect time and a margin.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailoverChaosTest {
    static final Duration DETECT = Duration.ofSeconds(2);
    static final Duration MARGIN = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    private TestHttpService llm;
    private TcpTestService echo;
    private ServerProcess primary;
    private ServerProcess backup;
    private FailoverTunnelClient client;
    private final List<TunnelEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        llm = TestHttpService.start();
        echo = TcpTestService.echo();
        JavaProcess a = ServerProcess.launch(0, dir.resolve("a"));
        JavaProcess b = ServerProcess.launch(0, dir.resolve("b"));
        primary = ServerProcess.ready(a);
        backup = ServerProcess.ready(b);
        client = FailoverTunnelClient.create(FailoverConfig.builder(clientConfig(primary, backup, llm, events::add))
                .endpoint(primary.tunnelUri(), 0, 1)
                .endpoint(backup.tunnelUri(), 1, 1)
                .detectTimeout(DETECT)
                .healthCheckInterval(Duration.ofMillis(250))
                .failbackDelay(Duration.ofMinutes(5))
                .queueDeadline(Duration.ofSeconds(10))
                .build());
        client.start().get(30, TimeUnit.SECONDS);
        assertThat(client.status().live().uri()).isEqualTo(primary.tunnelUri());
    }

    static TunnelClientConfig clientConfig(ServerProcess a, ServerProcess b, TestHttpService llm,
            online.cloudtolocalllm.tunnel.api.TunnelListener listener) {
        return TunnelClientConfig.builder()
                .server(a.tunnelUri())
                .token(TestTokens.valid("alice"))
                .hostKeys(HostKeyPolicy.pinned(a.fingerprint(), b.fingerprint()))
                .expose("llm", "127.0.0.1", llm.port())
                .shutdownTimeout(Duration.ofSeconds(5))
                .listener(listener)
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.shutdownNow();
            client.awaitTermination(Duration.ofSeconds(10));
        }
        for (AutoCloseable closeable : new AutoCloseable[] {primary, backup, echo, llm}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void killingTheLiveServerMovesTheTunnelToTheBackupAndEveryRequestIsAnswered() throws Exception {
        Traffic traffic = run("kill -9", primary::killHard, () -> { });

        assertThat(failover()).contains("from " + primary.tunnelUri() + " to " + backup.tunnelUri());
        assertThat(traffic.count(Traffic.Kind.FORWARD, Traffic.Outcome.OK)).isPositive();
    }

    @Test
    void aGracefulStopHandsTheTunnelOverBeforeTheOldSessionGoes() throws Exception {
        List<Boolean> primaryAliveAtFailover = new CopyOnWriteArrayList<>();
        client.addListener(event -> {
            if (event.type() == TunnelEvent.Type.FAILOVER) {
                primaryAliveAtFailover.add(primary.isAlive());
            }
        });

        Traffic traffic = run("graceful stop", primary::stopGracefully, () -> assertThat(primary.awaitExit(Duration.ofSeconds(15))).isTrue());

        assertThat(failover()).contains("is draining");
        assertThat(primaryAliveAtFailover).as("make-before-break: the new session was live before the old server went")
                .containsExactly(true);
        assertThat(events).filteredOn(e -> e.type() == TunnelEvent.Type.DRAINING).isNotEmpty();
        assertThat(traffic.count(Traffic.Kind.FORWARD, Traffic.Outcome.ERROR)).as("no forward stream failed").isZero();
    }

    @Test
    void aPausedServerIsDetectedAsHalfOpenAndTheTunnelMoves() throws Exception {
        run("half-open (SIGSTOP)", primary::pause, primary::resume);

        assertThat(failover()).contains("lost");
    }

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** Sends traffic, disrupts the primary, waits for traffic on the backup, ends with {@code finish}; checks the totals. */
    private Traffic run(String scenario, Step disrupt, Step finish) throws Exception {
        Traffic traffic = new Traffic(this::frontDoor, client, echo.port());
        try {
            return checked(scenario, traffic, disrupt, finish);
        } finally {
            traffic.close();
        }
    }

    private Traffic checked(String scenario, Traffic traffic, Step disrupt, Step finish) throws Exception {
        Await.until(Duration.ofSeconds(20), "traffic through the primary",
                () -> traffic.okSince(Traffic.Kind.INGRESS, 0) >= 10 && traffic.okSince(Traffic.Kind.FORWARD, 0) >= 10);

        long disruptedAt = System.nanoTime();
        disrupt.run();
        Await.until(DETECT.plus(MARGIN).plusSeconds(10), "traffic through the backup", () ->
                backup.tunnelUri().equals(liveUri())
                        && traffic.okSince(Traffic.Kind.INGRESS, disruptedAt) >= 10
                        && traffic.okSince(Traffic.Kind.FORWARD, disruptedAt) >= 10);
        finish.run();
        traffic.stop();

        Duration ingressResumed = traffic.resumedAfter(Traffic.Kind.INGRESS, disruptedAt);
        Duration forwardResumed = traffic.resumedAfter(Traffic.Kind.FORWARD, disruptedAt);
        System.out.println(traffic.report(scenario) + "\n  traffic resumed on the backup after: ingress "
                + ingressResumed.toMillis() + " ms, forward " + forwardResumed.toMillis() + " ms; " + failover());
        assertThat(traffic.results()).as("every request answered").hasSize(traffic.sent());
        assertThat(traffic.count(Traffic.Kind.INGRESS, Traffic.Outcome.HUNG)).as("ingress requests hung").isZero();
        assertThat(traffic.count(Traffic.Kind.FORWARD, Traffic.Outcome.HUNG)).as("forward requests hung").isZero();
        assertThat(ingressResumed).isLessThan(DETECT.plus(MARGIN));
        assertThat(forwardResumed).isLessThan(DETECT.plus(MARGIN));
        return traffic;
    }

    private URI frontDoor() {
        return backup.tunnelUri().equals(liveUri()) ? backup.ingressBase() : primary.ingressBase();
    }

    private URI liveUri() {
        Endpoint live = client.status().live();
        return live == null ? null : live.uri();
    }

    private String failover() {
        return events.stream().filter(e -> e.type() == TunnelEvent.Type.FAILOVER).map(TunnelEvent::detail).findFirst()
                .orElseThrow(() -> new AssertionError("no FAILOVER event in " + events));
    }
}
