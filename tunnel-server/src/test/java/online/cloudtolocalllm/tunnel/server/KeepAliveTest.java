package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
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
 * Half-open connections: when the path between client and server silently dies, both ends notice within the
 * keepalive timeout, the server frees the routes at once, and the client reconnects by itself once the path heals.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KeepAliveTest {
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** What detection may take beyond the timeout on a busy 2-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EventLog serverEvents = new EventLog();
    private final EventLog clientEvents = new EventLog();
    private TestHttpService local;
    private TestServer tunnel;
    private BlackHoleProxy path;
    private TunnelClient client;

    @BeforeEach
    void start() throws Exception {
        local = TestHttpService.start();
        // no wait for a reconnecting client: this test wants the 404 of a route gone with its session at once
        tunnel = TestServer.start(dataDir, b -> b.keepAlive(INTERVAL, TIMEOUT).ingressReconnectWait(Duration.ZERO)
                .listener(serverEvents));
        path = BlackHoleProxy.to(tunnel.port());
        TunnelClientConfig config = tunnel.clientConfig("alice")
                .server("ws://127.0.0.1:" + path.port() + "/tunnel")
                .keepAlive(INTERVAL, TIMEOUT)
                .connectTimeout(Duration.ofSeconds(2))
                .expose("llm", "127.0.0.1", local.port())
                .listener(clientEvents)
                .build();
        client = TunnelClient.create(config);
        client.start().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        client.shutdownNow();
        path.close();
        tunnel.close();
        local.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(tunnel.ingress("alice", "llm", path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TestTokens.valid("alice")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bothEndsDetectASilentlyDeadPathAndTheClientComesBackWhenItHeals() throws Exception {
        assertThat(get("/status/200").statusCode()).isEqualTo(200);
        int serverMark = serverEvents.mark();
        int clientMark = clientEvents.mark();

        path.blackHole();

        serverEvents.await(serverMark, EventLog.user(TunnelEvent.Type.DISCONNECTED, "alice"), TIMEOUT.plus(SLACK),
                "the server closes alice's silent session");
        assertThat(serverEvents.since(serverMark)).as("the route went with the session")
                .anyMatch(EventLog.service(TunnelEvent.Type.SERVICE_UNREGISTERED, "alice", "llm"));
        long asked = System.nanoTime();
        HttpResponse<String> gone = get("/status/200");
        long answeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("\"code\":\"TUNNEL_011\"");
        assertThat(answeredMs).as("ingress answers at once instead of hanging on the dead session").isLessThan(1_000);

        TunnelEvent disconnected = clientEvents.await(clientMark, EventLog.type(TunnelEvent.Type.DISCONNECTED),
                TIMEOUT.plus(SLACK), "the client notices the silent server");
        TunnelEvent reconnecting = clientEvents.await(clientMark, EventLog.type(TunnelEvent.Type.RECONNECTING),
                Duration.ofSeconds(1), "the client schedules a reconnect");
        List<TunnelEvent> seen = clientEvents.since(clientMark);
        assertThat(seen.indexOf(disconnected)).as("DISCONNECTED comes before RECONNECTING").isLessThan(seen.indexOf(reconnecting));
        assertThat(client.state()).isIn(TunnelState.RECONNECTING, TunnelState.CONNECTING);

        int healedServerMark = serverEvents.mark();
        int healedClientMark = clientEvents.mark();
        path.forwardNewConnections();

        clientEvents.await(healedClientMark, EventLog.type(TunnelEvent.Type.CONNECTED), Duration.ofSeconds(15),
                "the client reconnects on its own");
        serverEvents.await(healedServerMark, EventLog.service(TunnelEvent.Type.SERVICE_REGISTERED, "alice", "llm"),
                Duration.ofSeconds(2), "the client registers llm again");
        assertThat(client.state()).isEqualTo(TunnelState.CONNECTED);
        HttpResponse<String> back = get("/echo");
        assertThat(back.statusCode()).isEqualTo(200);
    }

    @Test
    void defaultKeepaliveDetectsADeadPeerWithin15Seconds() {
        TunnelServerConfig server = TunnelServerConfig.builder().dataDir(dataDir).build();
        TunnelClientConfig client = TunnelClientConfig.builder().server("ws://127.0.0.1:1").token(TestTokens.valid("alice"))
                .hostKeys(HostKeyPolicy.pinned(tunnel.server().hostKeyFingerprint())).build();
        assertThat(server.keepAliveTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(15));
        assertThat(client.keepAliveTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(15));
    }
}
