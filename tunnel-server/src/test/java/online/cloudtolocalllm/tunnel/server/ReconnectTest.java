package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.ReconnectPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelSession;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconnection: a client rides out a server restart with growing, capped back-off and registers again; the server
 * frees a dead session's routes at once and lets the newest registration of a name win, so a reconnecting client
 * never finds its service "already in use".
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(800), 2.0, 0.2, 0);

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EventLog serverEvents = new EventLog();
    private final List<TunnelClient> clients = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private TestHttpService serviceA;
    private TestHttpService serviceB;
    private TestServer tunnel;

    @BeforeEach
    void start() throws Exception {
        serviceA = TestHttpService.start();
        serviceB = TestHttpService.start();
        tunnel = TestServer.start(dataDir, b -> b.keepAlive(Duration.ofMillis(500), Duration.ofSeconds(2)).listener(serverEvents));
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(TunnelClient::shutdownNow);
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        tunnel.close();
        serviceA.close();
        serviceB.close();
    }

    private TunnelClient startClient(TunnelClientConfig config) throws Exception {
        TunnelClient client = TunnelClient.create(config);
        clients.add(client);
        client.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return client;
    }

    private TunnelClientConfig.Builder alice(TestHttpService local) {
        return tunnel.clientConfig("alice").reconnect(FAST).expose("llm", "127.0.0.1", local.port());
    }

    private HttpResponse<String> get(TestServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.ingress("alice", "llm", path)).timeout(WAIT)
                .header("Authorization", "Bearer " + TestTokens.valid("alice")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clientRidesOutAServerRestartWithGrowingCappedBackoffAndRegistersAgain() throws Exception {
        EventLog clientEvents = new EventLog();
        TunnelClient client = startClient(alice(serviceA).listener(clientEvents).build());
        assertThat(get(tunnel, "/status/200").statusCode()).isEqualTo(200);
        int port = tunnel.port();
        String fingerprint = tunnel.server().hostKeyFingerprint();
        int lost = clientEvents.mark();

        tunnel.close();
        // attempts 2..7: four growing delays (100, 200, 400, 800 ms), then two at the 800 ms cap
        clientEvents.await(lost, e -> e.type() == TunnelEvent.Type.RECONNECTING && e.attempt() >= 7, WAIT,
                "six reconnect attempts while the server is down");
        EventLog restartedEvents = new EventLog();
        tunnel = TestServer.start(dataDir, b -> b.listen("127.0.0.1", port).listener(restartedEvents));
        int restarted = clientEvents.mark();

        clientEvents.await(restarted, EventLog.type(TunnelEvent.Type.CONNECTED), WAIT, "the client reconnects to the restarted server");
        restartedEvents.await(EventLog.service(TunnelEvent.Type.SERVICE_REGISTERED, "alice", "llm"), WAIT,
                "the client registers llm again");
        assertThat(client.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(tunnel.server().hostKeyFingerprint()).as("the host key persisted in the data dir").isEqualTo(fingerprint);
        HttpResponse<String> response = get(tunnel, "/echo");
        assertThat(response.statusCode()).isEqualTo(200);

        List<TunnelEvent> downtime = clientEvents.since(lost).subList(0, restarted - lost);
        assertThat(downtime.getFirst().type()).isEqualTo(TunnelEvent.Type.DISCONNECTED);
        List<TunnelEvent> retries = downtime.stream().filter(EventLog.type(TunnelEvent.Type.RECONNECTING)).toList();
        assertThat(retries).hasSizeGreaterThanOrEqualTo(6);
        for (int k = 0; k < retries.size(); k++) {
            TunnelEvent retry = retries.get(k);
            long base = Math.min(100L << Math.min(k, 20), 800);
            assertThat(retry.attempt()).as("attempt numbers count up from the lost connection's 1").isEqualTo(k + 2);
            assertThat(retry.retryIn()).as("retry %d waits the policy's delay %d ms less at most 20%% jitter", k + 1, base)
                    .isNotNull()
                    .isLessThanOrEqualTo(Duration.ofMillis(base))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(base * 8 / 10 - 1));
            assertThat(retry.cause()).as("a retry says what failed").isNotNull();
        }
        List<Integer> dialled = downtime.stream().filter(EventLog.type(TunnelEvent.Type.CONNECTING)).map(TunnelEvent::attempt).toList();
        assertThat(dialled).as("each CONNECTING carries the attempt its RECONNECTING announced")
                .isEqualTo(retries.stream().map(TunnelEvent::attempt).toList().subList(0, dialled.size()));
    }

    @Test
    void defaultBackoffIsOneSecondDoublingToAThirtySecondCapWithJitterForever() {
        ReconnectPolicy policy = ReconnectPolicy.DEFAULT;
        assertThat(IntStream.rangeClosed(1, 7).mapToObj(policy::baseDelay).map(Duration::toSeconds).toList())
                .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
        assertThat(policy.jitter()).isPositive();
        assertThat(policy.maxAttempts()).as("never gives up").isZero();
        TunnelClientConfig plain = TunnelClientConfig.builder().server("ws://127.0.0.1:1").token(TestTokens.valid("alice"))
                .hostKeys(HostKeyPolicy.pinned(tunnel.server().hostKeyFingerprint())).build();
        assertThat(plain.reconnect()).as("what a client gets without choosing").isEqualTo(policy);
    }

    @Test
    void newClientGetsTheServiceOfAClientThatWasKilledAbruptly() throws Exception {
        BlackHoleProxy path = BlackHoleProxy.to(tunnel.port());
        resources.add(path);
        startClient(alice(serviceA).server("ws://127.0.0.1:" + path.port() + "/tunnel").build());
        assertThat(get(tunnel, "/status/200").statusCode()).isEqualTo(200);
        int mark = serverEvents.mark();

        path.blackHole(); // the killed client never comes back
        path.cut();       // and its connection is reset, as when its process dies
        TunnelClient replacement = startClient(alice(serviceB).build());

        assertThat(replacement.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(serverEvents.since(mark)).as("the replacement registered llm without a refusal")
                .anyMatch(EventLog.service(TunnelEvent.Type.SERVICE_REGISTERED, "alice", "llm"))
                .noneMatch(EventLog.type(TunnelEvent.Type.FAILED));
        int servedByA = serviceA.requests();
        HttpResponse<String> response = get(tunnel, "/status/200");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(serviceB.requests()).as("ingress reaches the new client's service").isEqualTo(1);
        assertThat(serviceA.requests()).isEqualTo(servedByA);
    }

    @Test
    void clientReconnectingBeforeTheServerNoticedItsDeadSessionTakesTheServiceAtOnce() throws Exception {
        BlackHoleProxy path = BlackHoleProxy.to(tunnel.port());
        resources.add(path);
        startClient(alice(serviceA).server("ws://127.0.0.1:" + path.port() + "/tunnel").build());
        int mark = serverEvents.mark();

        path.blackHole(); // half-open: the server still believes in the old session for a while
        TunnelClient replacement = startClient(alice(serviceB).build());

        assertThat(replacement.state()).isEqualTo(TunnelState.CONNECTED);
        TunnelEvent takenOver = serverEvents.await(mark, EventLog.service(TunnelEvent.Type.SERVICE_UNREGISTERED, "alice", "llm"),
                Duration.ofSeconds(1), "the old session's llm is handed over");
        assertThat(takenOver.detail()).contains("taken over");
        assertThat(get(tunnel, "/status/200").statusCode()).isEqualTo(200);
        assertThat(serviceB.requests()).isEqualTo(1);

        serverEvents.await(mark, EventLog.user(TunnelEvent.Type.DISCONNECTED, "alice"), Duration.ofSeconds(5),
                "the server closes the dead session");
        assertThat(get(tunnel, "/status/201").statusCode()).as("closing the dead session left the new route alone").isEqualTo(201);
        assertThat(serviceB.requests()).isEqualTo(2);
        assertThat(tunnel.server().sessions()).singleElement()
                .satisfies(s -> assertThat(s.services()).containsExactly("llm"));
    }

    @Test
    void secondLiveClientOfTheSameUserTakesTheServiceOver() throws Exception {
        TunnelClient first = startClient(alice(serviceA).build());
        assertThat(get(tunnel, "/status/200").statusCode()).isEqualTo(200);
        assertThat(serviceA.requests()).isEqualTo(1);
        int mark = serverEvents.mark();

        TunnelClient second = startClient(alice(serviceB).build());

        TunnelEvent unregistered = serverEvents.await(mark, EventLog.service(TunnelEvent.Type.SERVICE_UNREGISTERED, "alice", "llm"),
                Duration.ofSeconds(1), "the first client's llm is unregistered");
        assertThat(unregistered.detail()).contains("taken over");
        assertThat(get(tunnel, "/status/200").statusCode()).isEqualTo(200);
        assertThat(serviceB.requests()).as("last registration wins").isEqualTo(1);
        assertThat(serviceA.requests()).isEqualTo(1);
        List<TunnelSession> sessions = tunnel.server().sessions();
        assertThat(sessions).hasSize(2);
        assertThat(sessions).filteredOn(s -> s.services().contains("llm")).hasSize(1);

        first.shutdown(); // cancels its forward of llm, which is no longer its own
        assertThat(first.awaitTermination(WAIT)).isTrue();
        assertThat(second.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(get(tunnel, "/status/202").statusCode()).as("the old client's cancel leaves the new route alone").isEqualTo(202);
        assertThat(serviceB.requests()).isEqualTo(2);
    }
}
