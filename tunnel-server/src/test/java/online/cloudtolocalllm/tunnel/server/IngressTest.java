package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.PoolSettings;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP ingress at /t/{user}/{service}/...: forwarding both ways, streaming, authentication and errors. */
class IngressTest {
    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestHttpService local;
    private TestServer tunnel;
    private String aliceToken;

    @BeforeEach
    void start() throws Exception {
        local = TestHttpService.start();
        tunnel = TestServer.start(dataDir, b -> b.publicService("alice", "open"));
        tunnel.connect("alice", new ExposedService("llm", "127.0.0.1", local.port()),
                new ExposedService("open", "127.0.0.1", local.port()));
        aliceToken = TestTokens.valid("alice");
    }

    @AfterEach
    void stop() {
        tunnel.close();
        local.close();
    }

    private HttpRequest.Builder request(String service, String path) {
        return HttpRequest.newBuilder(tunnel.ingress("alice", service, path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + aliceToken);
    }

    @Test
    void forwardsMethodPathQueryHeadersAndBodyBothWays() throws Exception {
        HttpResponse<String> response = http.send(request("llm", "/echo?x=1&y=two")
                .header("X-Custom", "kept")
                .POST(HttpRequest.BodyPublishers.ofString("prompt body")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("prompt body");
        assertThat(response.headers().firstValue("X-Seen-Method")).hasValue("POST");
        assertThat(response.headers().firstValue("X-Seen-Uri")).hasValue("/echo?x=1&y=two");
        assertThat(response.headers().firstValue("X-Seen-X-Custom")).hasValue("kept");
        assertThat(response.headers().firstValue("X-Seen-Host")).hasValue("localhost");
        assertThat(response.headers().firstValue("X-Seen-X-Forwarded-Prefix")).hasValue("/t/alice/llm");
        assertThat(response.headers().firstValue("X-Seen-Authorization")).as("the tunnel token stays at the server")
                .hasValue("(none)");
    }

    @Test
    void passesTheServicesStatusCodesThrough() throws Exception {
        HttpResponse<String> response = http.send(request("llm", "/status/418").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.body()).isEqualTo("status /status/418");
    }

    @Test
    void streamsNdjsonTokensAsTheServiceProducesThem() throws Exception {
        HttpResponse<java.io.InputStream> response = http.send(request("llm", "/ndjson?lines=6&delayMs=200").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<Long> arrivals = new ArrayList<>();
        long start = System.nanoTime();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                assertThat(line).startsWith("{\"token\":" + arrivals.size());
                arrivals.add((System.nanoTime() - start) / 1_000_000);
            }
        }
        assertThat(arrivals).hasSize(6);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        assertThat(arrivals.getLast() - arrivals.getFirst()).as("tokens spread over the service's ~1 s, not bunched")
                .isGreaterThan(700);
    }

    @Test
    void streamsServerSentEvents() throws Exception {
        HttpResponse<java.util.stream.Stream<String>> response = http.send(request("llm", "/sse?events=3&delayMs=50").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.body().filter(line -> line.startsWith("data:")).toList())
                .containsExactly("data: event 0", "data: event 1", "data: event 2");
    }

    @Test
    void carriesLargeBodiesIntact() throws Exception {
        int size = 8 * 1024 * 1024;
        HttpResponse<byte[]> response = http.send(request("llm", "/bytes?size=" + size).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.body()).isEqualTo(TestHttpService.expectedBytes(size));

        byte[] upload = TestHttpService.expectedBytes(3 * 1024 * 1024 + 17);
        HttpResponse<byte[]> echoed = http.send(request("llm", "/echo").POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(echoed.body()).isEqualTo(upload);
    }

    @Test
    void relaysABodyThatEndsWithTheConnection() throws Exception {
        HttpResponse<String> response = http.send(request("llm", "/close").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("body ends with the connection");
    }

    @Test
    void reusesOneTunnelStreamForTheRequestsOfOneKeepAliveConnection() throws Exception {
        long before = tunnel.server().metrics().totalStreams();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = http.send(request("llm", "/echo").POST(HttpRequest.BodyPublishers.ofString("n" + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("n" + i);
        }
        assertThat(tunnel.server().metrics().totalStreams() - before).as("one channel, like ssh -L").isEqualTo(1);
    }

    @Test
    void reusesPooledStreamsAcrossCallerConnections() throws Exception {
        long before = tunnel.server().metrics().totalStreams();
        int requests = 40;
        for (int i = 0; i < requests; i++) {
            assertThat(getClosingConnection("/t/alice/llm/echo")).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n");
        }
        long opened = tunnel.server().metrics().totalStreams() - before;
        assertThat(opened).as("at most one pooled stream per server event loop, not one per caller connection")
                .isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tunnel.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"created\":" + opened).contains("\"reused\":" + (requests - opened));
    }

    @Test
    void warmsUpTheMinimumOfIdleConnectionsOnceAServiceIsUsed() throws Exception {
        tunnel.close();
        tunnel = TestServer.start(dataDir, b -> b.ingressPool(new PoolSettings(3, 16, Duration.ofHours(1), Duration.ofMinutes(1))));
        tunnel.connect("alice", new ExposedService("llm", "127.0.0.1", local.port()));

        assertThat(getClosingConnection("/t/alice/llm/echo")).startsWith("HTTP/1.1 200");

        Await.until(Duration.ofSeconds(10), "at least three idle upstreams", () -> idleUpstreams() >= 3);
        assertThat(tunnel.server().metrics().openStreams()).as("each warm upstream is an open channel").isEqualTo(idleUpstreams());
    }

    private int idleUpstreams() {
        try {
            String health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tunnel.port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher idle = java.util.regex.Pattern.compile("\"idle\":(\\d+)").matcher(health);
            return idle.find() ? Integer.parseInt(idle.group(1)) : -1;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One GET on a new connection that asks to be closed afterwards; the whole answer. */
    private String getClosingConnection(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", tunnel.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + aliceToken
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void opensANewStreamWhenTheServiceClosedTheLastOne() throws Exception {
        assertThat(http.send(request("llm", "/close").build(), HttpResponse.BodyHandlers.ofString()).body())
                .isEqualTo("body ends with the connection");
        assertThat(http.send(request("llm", "/status/200").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        assertThat(http.send(request("open", "/status/201").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("another service on the same caller connection").isEqualTo(201);
    }

    @Test
    void refusesRequestsWithoutAToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tunnel.ingress("alice", "llm", "/echo")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"TUNNEL_002\"");
        assertThat(local.requests()).isZero();
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tunnel.ingress("alice", "llm", "/echo"))
                .header("Authorization", "Bearer " + TestTokens.expired("alice")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"TUNNEL_003\"");
    }

    @Test
    void refusesAnotherUsersToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tunnel.ingress("alice", "llm", "/echo"))
                .header("Authorization", "Bearer " + TestTokens.valid("bob")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"code\":\"TUNNEL_012\"");
        assertThat(local.requests()).isZero();
    }

    @Test
    void servesAPublicServiceWithoutAToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tunnel.ingress("alice", "open", "/status/200")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void answersUnknownUsersAndServicesWith404Json() throws Exception {
        HttpResponse<String> noUser = http.send(HttpRequest.newBuilder(tunnel.ingress("carol", "llm", "/"))
                .header("Authorization", "Bearer " + TestTokens.valid("carol")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noUser.statusCode()).isEqualTo(404);
        assertThat(noUser.body()).contains("\"code\":\"TUNNEL_011\"").contains("no tunnel");

        HttpResponse<String> noService = http.send(request("nope", "/").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noService.statusCode()).isEqualTo(404);
        assertThat(noService.body()).contains("\"code\":\"TUNNEL_011\"").contains("nope");

        HttpResponse<String> noRoute = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tunnel.port() + "/elsewhere")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noRoute.statusCode()).isEqualTo(404);
    }

    @Test
    void madeUpServiceNamesLeaveNoPoolBehind() throws Exception {
        String before = healthz();
        for (int i = 0; i < 20; i++) {
            assertThat(http.send(request("made-up-" + i, "/").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(404);
        }
        assertThat(pools(healthz())).isEqualTo(pools(before));
        assertThat(http.send(request("llm", "/echo").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(pools(healthz())).isEqualTo(pools(before) + 1);
    }

    private String healthz() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tunnel.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int pools(String health) {
        java.util.regex.Matcher pools = java.util.regex.Pattern.compile("\"pools\":(\\d+)").matcher(health);
        assertThat(pools.find()).as(health).isTrue();
        return Integer.parseInt(pools.group(1));
    }

    @Test
    void answers503WithTunnel001WhenTheLocalServiceRefuses() throws Exception {
        int closedPort;
        try (TcpTestService gone = TcpTestService.echo()) {
            closedPort = gone.port();
        }
        tunnel.connect("dave", new ExposedService("down", "127.0.0.1", closedPort));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tunnel.ingress("dave", "down", "/"))
                .header("Authorization", "Bearer " + TestTokens.valid("dave")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"code\":\"TUNNEL_001\"").contains("\"category\":\"network\"");

        HttpResponse<String> others = http.send(request("llm", "/status/200").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(others.statusCode()).as("other tunnels are unaffected").isEqualTo(200);
    }

    @Test
    void answersHealthChecks() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tunnel.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"ok\"").contains("\"sessions\":1");
    }
}
