package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No ingress request vanishes while a client moves: a request for a service that went away with its session waits
 * for the client to come back, or is answered 503 with Retry-After at the deadline; an idempotent request whose
 * stream died before any response byte is replayed once, any other is answered 503 with Retry-After.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IngressReconnectTest {
    private static final Duration SLACK = Duration.ofSeconds(3);

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EventLog serverEvents = new EventLog();
    private TestServer tunnel;
    private AutoCloseable local;

    @AfterEach
    void stop() throws Exception {
        if (tunnel != null) {
            tunnel.close();
        }
        if (local != null) {
            local.close();
        }
    }

    private HttpRequest.Builder ingress(String path) {
        return HttpRequest.newBuilder(tunnel.ingress("alice", "llm", path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TestTokens.valid("alice"));
    }

    /** Connects alice exposing a local HTTP service as llm, then drops her session without withdrawing llm. */
    private int loseTheSession(Duration wait) throws Exception {
        TestHttpService service = TestHttpService.start();
        local = service;
        tunnel = TestServer.start(dataDir, b -> b.ingressReconnectWait(wait).listener(serverEvents));
        TunnelClient client = tunnel.connect("alice", new ExposedService("llm", "127.0.0.1", service.port()));
        assertThat(http.send(ingress("/status/200").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        int mark = serverEvents.mark();
        client.shutdownNow();
        serverEvents.await(mark, EventLog.service(TunnelEvent.Type.SERVICE_UNREGISTERED, "alice", "llm"), SLACK,
                "llm goes with alice's session");
        return service.port();
    }

    @Test
    void aRequestForAServiceWhoseClientIsReconnectingWaitsForItsReturn() throws Exception {
        int port = loseTheSession(Duration.ofSeconds(10));

        long asked = System.nanoTime();
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(ingress("/status/200").build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500);
        assertThat(waiting).as("still waiting for alice to come back").isNotDone();
        tunnel.connect("alice", new ExposedService("llm", "127.0.0.1", port));

        HttpResponse<String> response = waiting.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aServiceThatDoesNotComeBackIsAnswered503WithRetryAfterAtTheDeadline() throws Exception {
        loseTheSession(Duration.ofSeconds(1));

        long asked = System.nanoTime();
        HttpResponse<String> response = http.send(ingress("/status/200").build(), HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - asked);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"code\":\"TUNNEL_004\"", "reconnecting");
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(1).plus(SLACK));
    }

    @Test
    void anIdempotentRequestWhoseStreamDiesBeforeAnyResponseByteIsReplayedOnceWithItsBody() throws Exception {
        List<String> seen = startFlakyService(request -> request == 1);

        HttpResponse<String> response = http.send(ingress("/things/1").PUT(HttpRequest.BodyPublishers.ofString("v=42")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("PUT v=42");
        assertThat(seen).as("the first attempt reached the service and died unanswered").containsExactly("PUT v=42", "PUT v=42");
    }

    @Test
    void aPostWhoseStreamDiesBeforeAnyResponseByteIsAnswered503WithRetryAfterAndNotReplayed() throws Exception {
        List<String> seen = startFlakyService(request -> request == 1);

        HttpResponse<String> response = http.send(ingress("/orders").POST(HttpRequest.BodyPublishers.ofString("buy")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"code\":\"TUNNEL_004\"", "ended before the service answered");
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(seen).containsExactly("POST buy");
    }

    @Test
    void anIdempotentRequestIsReplayedOnlyOnce() throws Exception {
        List<String> seen = startFlakyService(request -> true);

        HttpResponse<String> response = http.send(ingress("/things/1").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(seen).containsExactly("GET ", "GET ");
    }

    /**
     * Exposes as llm a service that reads each request and closes the connection without answering when
     * {@code dropsRequest} says so for its number (1-based), else answers 200 with the method and body.
     */
    private List<String> startFlakyService(IntPredicate dropsRequest) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger requests = new AtomicInteger();
        TcpTestService service = TcpTestService.start(connection -> {
            try (Socket socket = connection) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    int length = contentLength(head);
                    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    String line = head.substring(0, head.indexOf(' ')) + " " + body;
                    seen.add(line);
                    if (dropsRequest.test(requests.incrementAndGet())) {
                        return;
                    }
                    byte[] answer = line.getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + answer.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(answer);
                    out.flush();
                }
            }
        });
        local = service;
        tunnel = TestServer.start(dataDir, b -> b.listener(serverEvents));
        tunnel.connect("alice", new ExposedService("llm", "127.0.0.1", service.port()));
        return seen;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        return head.lines().filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .map(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).strip())).findFirst().orElse(0);
    }
}
