package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
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
 * Graceful shutdown of both endpoints: stop taking new work, let the streams in flight finish up to the shutdown
 * timeout, then close.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GracefulShutdownTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration SLACK = Duration.ofSeconds(3);
    /** Eight NDJSON lines 200 ms apart: about 1.6 s of stream. */
    private static final String STREAM = "/ndjson?lines=8&delayMs=200";

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EventLog serverEvents = new EventLog();
    private TestHttpService local;
    private TestServer tunnel;

    @BeforeEach
    void start() {
        local = TestHttpService.start();
    }

    @AfterEach
    void stop() {
        if (tunnel != null) {
            tunnel.close();
        }
        local.close();
    }

    private void startServer(Duration shutdownTimeout) throws Exception {
        tunnel = TestServer.start(dataDir, b -> b.shutdownTimeout(shutdownTimeout).listener(serverEvents));
    }

    private HttpRequest.Builder ingress(String path) {
        return HttpRequest.newBuilder(tunnel.ingress("alice", "llm", path)).timeout(WAIT)
                .header("Authorization", "Bearer " + TestTokens.valid("alice"));
    }

    /** An NDJSON response being read line by line as it arrives. */
    private record InFlight(List<String> lines, CompletableFuture<Void> firstLine, CompletableFuture<Boolean> ended) {
        /** Whether the body ended normally (false: the connection was cut), waiting a bounded time. */
        boolean endedNormally() throws Exception {
            return ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Starts {@code path} and returns once its first line has arrived: a response in flight. */
    private InFlight streamInFlight(String path) throws Exception {
        HttpResponse<InputStream> response = http.send(ingress(path).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        InFlight stream = new InFlight(new CopyOnWriteArrayList<>(), new CompletableFuture<>(), new CompletableFuture<>());
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    stream.lines().add(line);
                    stream.firstLine().complete(null);
                }
                stream.ended().complete(true);
            } catch (IOException cut) {
                stream.ended().complete(false);
            }
            stream.firstLine().completeExceptionally(new AssertionError("the stream ended before its first line"));
        });
        stream.firstLine().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(stream.lines().getFirst()).startsWith("{\"token\":0");
        return stream;
    }

    @Test
    void serverShutdownFinishesTheStreamInFlightAndRefusesNewWork() throws Exception {
        startServer(Duration.ofSeconds(5));
        tunnel.connect("alice", new ExposedService("llm", "127.0.0.1", local.port()));
        InFlight inFlight = streamInFlight(STREAM);

        long shutdownAt = System.nanoTime();
        tunnel.server().shutdown();

        assertRefused("a new ingress request", () -> http.send(ingress("/status/200").build(), HttpResponse.BodyHandlers.ofString()));
        assertRefused("a new tunnel connection", () -> http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + TestTokens.valid("bob"))
                .buildAsync(tunnel.tunnelUri(), new WebSocket.Listener() { }).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(local.requests()).as("only the stream in flight reached the service").isEqualTo(1);

        assertThat(inFlight.endedNormally()).as("the response in flight ends normally").isTrue();
        assertThat(inFlight.lines()).hasSize(8).last().asString().startsWith("{\"token\":7");
        assertThat(tunnel.server().awaitTermination(Duration.ofSeconds(5).plus(SLACK))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - shutdownAt)).isLessThan(Duration.ofSeconds(5).plus(SLACK));
        assertThat(serverEvents.all()).anyMatch(EventLog.user(TunnelEvent.Type.DISCONNECTED, "alice"));
    }

    @Test
    void serverShutdownCutsAStreamThatOutlastsTheShutdownTimeout() throws Exception {
        startServer(Duration.ofSeconds(1));
        tunnel.connect("alice", new ExposedService("llm", "127.0.0.1", local.port()));
        InFlight inFlight = streamInFlight("/ndjson?lines=20&delayMs=250");

        long shutdownAt = System.nanoTime();
        tunnel.server().shutdown();

        assertThat(tunnel.server().awaitTermination(Duration.ofSeconds(1).plus(SLACK))).as("terminates by the deadline").isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - shutdownAt);
        assertThat(took).as("it drained until the deadline").isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(inFlight.endedNormally()).as("the stream was cut").isFalse();
        assertThat(inFlight.lines().size()).as("lines kept flowing until the deadline, then stopped").isBetween(3, 19);
    }

    @Test
    void clientShutdownFinishesTheStreamInFlightThenItsServicesAreGone() throws Exception {
        startServer(Duration.ofSeconds(2));
        EventLog clientEvents = new EventLog();
        TunnelClient client = tunnel.connect(tunnel.clientConfig("alice").shutdownTimeout(Duration.ofSeconds(5))
                .expose("llm", "127.0.0.1", local.port()).listener(clientEvents).build());
        InFlight inFlight = streamInFlight(STREAM);
        int mark = serverEvents.mark();

        long shutdownAt = System.nanoTime();
        client.shutdown();

        serverEvents.await(mark, EventLog.service(TunnelEvent.Type.SERVICE_UNREGISTERED, "alice", "llm"), SLACK,
                "the draining client withdraws llm");
        assertThat(inFlight.ended()).as("while its stream is still in flight").isNotDone();
        HttpResponse<String> during = http.send(ingress("/status/200").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(during.statusCode()).as("a draining client takes no new streams").isEqualTo(404);
        assertThat(inFlight.endedNormally()).as("the response in flight ends normally").isTrue();
        assertThat(inFlight.lines()).hasSize(8).last().asString().startsWith("{\"token\":7");

        clientEvents.await(EventLog.type(TunnelEvent.Type.CLOSED), Duration.ofSeconds(5).plus(SLACK), "the client closes");
        assertThat(client.awaitTermination(SLACK)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - shutdownAt)).isLessThan(Duration.ofSeconds(5).plus(SLACK));
        assertThat(client.state()).isEqualTo(TunnelState.CLOSED);
        assertThat(clientEvents.ofType(TunnelEvent.Type.RECONNECTING)).as("a client shut down does not reconnect").isEmpty();
        serverEvents.await(mark, EventLog.user(TunnelEvent.Type.DISCONNECTED, "alice"), SLACK, "the server sees the session end");
        HttpResponse<String> after = http.send(ingress("/status/200").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(after.body()).contains("\"code\":\"TUNNEL_011\"");
        assertThat(local.requests()).isEqualTo(1);
    }

    @Test
    void clientShutdownEndsAsSoonAsItsLastStreamClosesNotAtItsTimeout() throws Exception {
        startServer(Duration.ofSeconds(2));
        TunnelClient client = tunnel.connect(tunnel.clientConfig("alice").shutdownTimeout(Duration.ofMinutes(1))
                .expose("llm", "127.0.0.1", local.port()).build());
        HttpResponse<String> answered = http.send(ingress("/status/200").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(client.metrics().openStreams()).as("the ingress keeps its stream to llm for the next request").isEqualTo(1);

        client.shutdown();

        assertThat(client.awaitTermination(WAIT)).as("the server closes the idle stream when llm is withdrawn").isTrue();
        assertThat(client.state()).isEqualTo(TunnelState.CLOSED);
    }

    /** {@code attempt} must fail to connect, or be answered 503 with TUNNEL_004. */
    private static void assertRefused(String what, Attempt attempt) {
        Object outcome;
        try {
            outcome = attempt.run();
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof WebSocketHandshakeException handshake) {
                assertThat(handshake.getResponse().statusCode()).as(what).isEqualTo(503);
                return;
            }
            assertThat(cause).as(what + " is refused").isInstanceOf(ConnectException.class);
            return;
        }
        assertThat(outcome).as(what + " is answered 503").isInstanceOf(HttpResponse.class);
        HttpResponse<?> response = (HttpResponse<?>) outcome;
        assertThat(response.statusCode()).as(what).isEqualTo(503);
        assertThat(String.valueOf(response.body())).contains("\"code\":\"TUNNEL_004\"");
    }

    @FunctionalInterface
    private interface Attempt {
        Object run() throws Exception;
    }
}
