package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
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
 * A server shutting down tells its clients ({@code draining@cloudtolocalllm.online}) before draining: a plain client
 * stays until its streams are done and then reconnects; a client that says it moves elsewhere is waited for, up to
 * the shutdown timeout, so it can connect to another server before its session goes.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DrainingNoticeTest {
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SLACK = Duration.ofSeconds(3);

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EventLog clientEvents = new EventLog();
    private TestHttpService local;
    private TestServer tunnel;

    @BeforeEach
    void start() throws Exception {
        local = TestHttpService.start();
        tunnel = TestServer.start(dataDir, b -> b.shutdownTimeout(SHUTDOWN_TIMEOUT));
    }

    @AfterEach
    void stop() {
        tunnel.close();
        local.close();
    }

    @Test
    void aPlainClientHearsTheNoticeLetsItsStreamFinishAndThenReconnects() throws Exception {
        tunnel.connect(tunnel.clientConfig("alice").expose("llm", "127.0.0.1", local.port()).listener(clientEvents).build());
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(tunnel.ingress("alice", "llm",
                        "/ndjson?lines=8&delayMs=200")).header("Authorization", "Bearer " + TestTokens.valid("alice")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() ->
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)).lines().toList());

        long shutdownAt = System.nanoTime();
        tunnel.server().shutdown();

        TunnelEvent draining = clientEvents.await(EventLog.type(TunnelEvent.Type.DRAINING), SLACK, "the draining notice");
        assertThat(draining.detail()).contains("open streams may finish, then reconnecting");
        assertThat(lines.get(10, TimeUnit.SECONDS)).as("the stream in flight finishes").hasSize(8);
        assertThat(tunnel.server().awaitTermination(SLACK)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - shutdownAt)).as("a client that stays is not waited for")
                .isLessThan(SHUTDOWN_TIMEOUT);
        clientEvents.await(EventLog.type(TunnelEvent.Type.RECONNECTING), SLACK, "the client reconnects");
        assertThat(clientEvents.ofType(TunnelEvent.Type.FAILED)).isEmpty();
    }

    @Test
    void theServerWaitsForAClientThatSaysItMovesUntilItsSessionCloses() throws Exception {
        TunnelClient mover = tunnel.connect(tunnel.clientConfig("alice").drainHandoff(true).listener(clientEvents).build());

        tunnel.server().shutdown();

        TunnelEvent draining = clientEvents.await(EventLog.type(TunnelEvent.Type.DRAINING), SLACK, "the draining notice");
        assertThat(draining.detail()).contains("moving to another endpoint");
        assertThat(tunnel.server().awaitTermination(Duration.ofMillis(500))).as("waiting for the client to move").isFalse();
        long movedAt = System.nanoTime();
        mover.shutdown();
        assertThat(tunnel.server().awaitTermination(SLACK)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - movedAt)).as("closed once the client left, not at the deadline")
                .isLessThan(SHUTDOWN_TIMEOUT.minus(SLACK));
    }
}
