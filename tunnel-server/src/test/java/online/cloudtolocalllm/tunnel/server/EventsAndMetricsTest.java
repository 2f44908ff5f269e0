package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelMetrics;
import online.cloudtolocalllm.tunnel.api.TunnelSession;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Observability: listeners see every client state transition and every server session and service change with its
 * time, endpoint and cause; metrics snapshots count bytes, streams and errors; the server lists its sessions.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventsAndMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EventLog serverEvents = new EventLog();
    private final EventLog clientEvents = new EventLog();
    private TestHttpService local;
    private TestServer tunnel;

    @BeforeEach
    void start() throws Exception {
        local = TestHttpService.start();
        tunnel = TestServer.start(dataDir, b -> b.listener(serverEvents));
    }

    @AfterEach
    void stop() {
        tunnel.close();
        local.close();
    }

    private TunnelClient connectAlice(ExposedService... extra) throws Exception {
        var config = tunnel.clientConfig("alice").expose("llm", "127.0.0.1", local.port()).listener(clientEvents);
        for (ExposedService service : extra) {
            config.expose(service);
        }
        return tunnel.connect(config.build());
    }

    private HttpRequest.Builder ingress(String service, String path) {
        return HttpRequest.newBuilder(tunnel.ingress("alice", service, path)).timeout(WAIT)
                .header("Authorization", "Bearer " + TestTokens.valid("alice"));
    }

    @Test
    void clientListenerSeesEachTransitionWithTimeEndpointAndCause() throws Exception {
        Instant before = Instant.now();
        connectAlice();
        Instant after = Instant.now();

        List<TunnelEvent> startup = clientEvents.all();
        assertThat(startup).extracting(TunnelEvent::type)
                .containsExactly(TunnelEvent.Type.CONNECTING, TunnelEvent.Type.KEY_EXCHANGED, TunnelEvent.Type.CONNECTED);
        assertThat(startup.getFirst().attempt()).isEqualTo(1);
        TunnelEvent connected = startup.getLast();
        assertThat(connected.time()).isBetween(before, after);
        assertThat(connected.endpoint()).isEqualTo(tunnel.tunnelUri().toString());
        assertThat(connected.user()).isEqualTo("alice");
        assertThat(connected.detail()).contains("llm");

        int lost = clientEvents.mark();
        tunnel.server().shutdownNow();

        TunnelEvent disconnected = clientEvents.await(lost, EventLog.type(TunnelEvent.Type.DISCONNECTED), WAIT, "the client sees the server go");
        TunnelEvent reconnecting = clientEvents.await(lost, EventLog.type(TunnelEvent.Type.RECONNECTING), WAIT, "the client plans a retry");
        assertThat(disconnected.detail()).as("says why the connection ended").isNotBlank();
        assertThat(disconnected.endpoint()).isEqualTo(tunnel.tunnelUri().toString());
        assertThat(reconnecting.attempt()).isEqualTo(2);
        assertThat(reconnecting.retryIn()).isNotNull().isPositive();
        assertThat(reconnecting.cause()).as("carries the failure behind the retry").isNotNull();
        assertThat(reconnecting.time()).isAfterOrEqualTo(disconnected.time());
        List<TunnelEvent> all = clientEvents.all();
        assertThat(all.indexOf(disconnected)).isLessThan(all.indexOf(reconnecting));
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).time()).as("event times never go back").isAfterOrEqualTo(all.get(i - 1).time());
        }
    }

    @Test
    void serverListenerSeesSessionsAndServicesComeAndGo() throws Exception {
        TunnelClient alice = connectAlice();
        TunnelEvent connected = serverEvents.await(EventLog.user(TunnelEvent.Type.CONNECTED, "alice"), WAIT, "alice's session");
        TunnelEvent registered = serverEvents.await(EventLog.service(TunnelEvent.Type.SERVICE_REGISTERED, "alice", "llm"), WAIT,
                "alice's llm");
        assertThat(connected.endpoint()).as("the peer's address").contains("127.0.0.1");
        assertThat(serverEvents.all().indexOf(connected)).isLessThan(serverEvents.all().indexOf(registered));
        int mark = serverEvents.mark();

        alice.shutdown();

        TunnelEvent unregistered = serverEvents.await(mark, EventLog.service(TunnelEvent.Type.SERVICE_UNREGISTERED, "alice", "llm"),
                WAIT, "alice's llm goes");
        TunnelEvent disconnected = serverEvents.await(mark, EventLog.user(TunnelEvent.Type.DISCONNECTED, "alice"), WAIT,
                "alice's session ends");
        assertThat(unregistered.time()).isAfterOrEqualTo(registered.time());
        assertThat(disconnected.detail()).isNotBlank();
        assertThat(tunnel.server().sessions()).isEmpty();
    }

    @Test
    void metricsCountBytesStreamsAndErrorsAndSessionsListThem() throws Exception {
        int refusingPort;
        try (TcpTestService gone = TcpTestService.echo()) {
            refusingPort = gone.port();
        }
        Instant before = Instant.now();
        TunnelClient alice = connectAlice(new ExposedService("down", "127.0.0.1", refusingPort));
        String body = "x".repeat(10_000);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> echoed = http.send(ingress("llm", "/echo").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(echoed.body()).hasSize(body.length());
        }

        HttpResponse<InputStream> streaming = http.send(ingress("llm", "/ndjson?lines=3&delayMs=100").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(streaming.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isNotNull();
            assertThat(tunnel.server().metrics().openStreams()).as("the stream in flight is open on the server").isEqualTo(1);
            assertThat(alice.metrics().openStreams()).as("and on the client").isEqualTo(1);
            while (lines.readLine() != null) {
                // the rest of the stream
            }
        }
        assertThat(http.send(ingress("down", "/").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);

        Await.until(WAIT, "every exchange done: only the streams ingress pooled for reuse stay open, on both ends",
                () -> tunnel.server().metrics().openStreams() == pooledIdleStreams()
                        && alice.metrics().openStreams() == tunnel.server().metrics().openStreams());
        int pooled = pooledIdleStreams();
        assertThat(pooled).as("the upstreams kept for the next requests").isPositive();
        TunnelMetrics server = tunnel.server().metrics();
        TunnelMetrics client = alice.metrics();
        assertThat(server.bytesIn()).isGreaterThan(5 * 10_000L);
        assertThat(server.bytesOut()).isGreaterThan(5 * 10_000L);
        assertThat(server.totalStreams()).as("ingress reuses one stream per caller connection").isPositive();
        assertThat(client.bytesIn()).isGreaterThan(5 * 10_000L);
        assertThat(client.bytesOut()).isGreaterThan(5 * 10_000L);
        assertThat(client.totalStreams()).as("both ends count the same streams").isEqualTo(server.totalStreams());
        assertThat(client.errors()).as("the client counts the stream its local service refused").isEqualTo(1);
        assertThat(server.errors()).as("the server counts the stream it could not open").isEqualTo(1);

        TunnelSession session = tunnel.server().sessions().getFirst();
        assertThat(tunnel.server().sessions()).hasSize(1);
        assertThat(session.user()).isEqualTo("alice");
        assertThat(session.id()).isNotBlank();
        assertThat(session.remoteAddress()).contains("127.0.0.1");
        assertThat(session.connectedAt()).isBetween(before, Instant.now());
        assertThat(session.services()).containsExactlyInAnyOrder("llm", "down");
        assertThat(session.metrics().totalStreams()).as("the only session carried every stream").isEqualTo(server.totalStreams());
        assertThat(session.metrics().openStreams()).isEqualTo(pooled);
        assertThat(session.metrics().bytesIn()).isGreaterThan(5 * 10_000L);
        assertThat(session.metrics().bytesOut()).isGreaterThan(5 * 10_000L);
    }

    /** The idle pooled upstreams that /healthz reports. */
    private int pooledIdleStreams() {
        try {
            String health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tunnel.port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher idle = Pattern.compile("\"idle\":(\\d+)").matcher(health);
            assertThat(idle.find()).as(health).isTrue();
            return Integer.parseInt(idle.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
