package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client keeping several sessions to the server: each registers the services and the server uses them in turn. */
class ParallelSessionsTest {
    @TempDir
    Path dataDir;

    private TestHttpService local;
    private TestServer tunnel;
    private TunnelClient client;

    @BeforeEach
    void start() throws Exception {
        local = TestHttpService.start();
        tunnel = TestServer.start(dataDir);
        client = tunnel.connect(tunnel.clientConfig("alice").sessions(3)
                .expose(new ExposedService("llm", "127.0.0.1", local.port())).build());
        Await.until(Duration.ofSeconds(10), "three sessions serving llm", () -> tunnel.server().sessions().stream()
                .filter(session -> session.services().contains("llm")).count() == 3);
    }

    @AfterEach
    void stop() {
        client.close();
        tunnel.close();
        local.close();
    }

    @Test
    void theServerOpensStreamsOnEachSessionInTurn() {
        for (int i = 0; i < 30; i++) {
            TunnelStream stream = tunnel.server().openStream("alice", "llm").join();
            stream.close();
        }
        assertThat(tunnel.server().sessions()).extracting(session -> session.metrics().totalStreams())
                .containsExactly(10L, 10L, 10L);
    }

    @Test
    void ingressAndTheClientSeeOneTunnel() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tunnel.ingress("alice", "llm", "/echo"))
                .header("Authorization", "Bearer " + TestTokens.valid("alice"))
                .POST(HttpRequest.BodyPublishers.ofString("over one of three")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("over one of three");
        assertThat(client.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(client.metrics().totalStreams()).isEqualTo(
                tunnel.server().sessions().stream().mapToLong(session -> session.metrics().totalStreams()).sum());
    }

    @Test
    void shuttingTheClientDownEndsEverySession() throws Exception {
        client.shutdown();
        assertThat(client.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(client.state()).isEqualTo(TunnelState.CLOSED);
        Await.until(Duration.ofSeconds(10), "no sessions left", () -> tunnel.server().sessions().isEmpty());
    }
}
