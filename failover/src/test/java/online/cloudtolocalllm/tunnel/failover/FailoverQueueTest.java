package online.cloudtolocalllm.tunnel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.MutableClock;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forward streams asked for while no endpoint is up wait in the client's bounded queue: a full queue refuses at once
 * (TUNNEL_006), a deadline on the injected clock fails them (TUNNEL_007), and a server that comes up takes them.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailoverQueueTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock();
    private FailoverTunnelClient client;
    private TestServer server;

    @AfterEach
    void stop() throws InterruptedException {
        if (client != null) {
            client.shutdownNow();
            client.awaitTermination(Duration.ofSeconds(10));
        }
        if (server != null) {
            server.close();
        }
    }

    /** A client of one endpoint at {@code port}, with no server there yet. */
    private FailoverTunnelClient clientOf(int port, String fingerprint, HealthCheck health) {
        URI uri = URI.create("ws://127.0.0.1:" + port + "/tunnel");
        client = FailoverTunnelClient.create(FailoverConfig.builder(TunnelClientConfig.builder().server(uri)
                        .token(TestTokens.valid("alice")).hostKeys(HostKeyPolicy.pinned(fingerprint)).build())
                .healthCheckInterval(Duration.ofMillis(100))
                .healthCheck(health)
                .queueSize(2)
                .queueDeadline(DEADLINE)
                .clock(clock)
                .build());
        client.start();
        return client;
    }

    @Test
    void aFullQueueRefusesAtOnceAndTheDeadlineFailsTheWaitingStreams() throws Exception {
        clientOf(freePort(), "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", endpoint -> CompletableFuture.completedFuture(false));
        Await.until(Duration.ofSeconds(10), "no endpoint left to try", () -> client.state() == TunnelState.RECONNECTING);

        CompletableFuture<TunnelStream> first = client.openStream("127.0.0.1", 7);
        CompletableFuture<TunnelStream> second = client.openStream("127.0.0.1", 7);
        CompletableFuture<TunnelStream> third = client.openStream("127.0.0.1", 7);

        assertThat(codeOf(third)).isEqualTo(ErrorCode.QUEUE_FULL);
        assertThat(client.status().queued()).isEqualTo(2);
        assertThat(first).isNotDone();
        clock.advance(DEADLINE);
        assertThat(codeOf(first)).isEqualTo(ErrorCode.REQUEST_TIMEOUT);
        assertThat(codeOf(second)).isEqualTo(ErrorCode.REQUEST_TIMEOUT);
        assertThat(client.status().queued()).isZero();
    }

    @Test
    void shuttingDownAnswersEveryWaitingStream() throws Exception {
        clientOf(freePort(), "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", endpoint -> CompletableFuture.completedFuture(false));
        CompletableFuture<TunnelStream> waiting = client.openStream("127.0.0.1", 7);

        client.shutdown();

        assertThat(codeOf(waiting)).isEqualTo(ErrorCode.SERVER_UNAVAILABLE);
        assertThat(client.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(client.state()).isEqualTo(TunnelState.CLOSED);
    }

    /** Repeated: whether {@code start} is still scheduling its tasks when the shutdown lands is a race. */
    @RepeatedTest(30)
    void aShutdownInTheMiddleOfTheFirstDecisionStaysClosed() throws Exception {
        // the scheduler's first reading of the clock is inside its choice of an endpoint, before it says CONNECTING
        AtomicBoolean shutDown = new AtomicBoolean();
        Clock shutsDownWhenTheSchedulerLooks = new Clock() {
            @Override
            public Instant instant() {
                if (Thread.currentThread().getName().equals("tunnel-failover") && shutDown.compareAndSet(false, true)) {
                    client.shutdown();
                }
                return clock.instant();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        URI uri = URI.create("ws://127.0.0.1:" + freePort() + "/tunnel");
        client = FailoverTunnelClient.create(FailoverConfig.builder(TunnelClientConfig.builder().server(uri)
                        .token(TestTokens.valid("alice")).hostKeys(HostKeyPolicy.pinned("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).build())
                .clock(shutsDownWhenTheSchedulerLooks)
                .build());
        client.start();

        assertThat(client.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(shutDown).isTrue();
        assertThat(client.state()).as("the decision under way does not undo the shutdown").isEqualTo(TunnelState.CLOSED);
    }

    @Test
    void aStreamAskedForBeforeAnyServerIsUpIsOpenedWhenOneComesUp() throws Exception {
        try (TcpTestService echo = TcpTestService.echo()) {
            int port = freePort();
            Path data = dir.resolve("server");
            String fingerprint = startServer(port, data).server().hostKeyFingerprint();
            server.close();
            clientOf(port, fingerprint, HealthCheck.http(Duration.ofSeconds(1)));
            assertThat(client.crypto()).as("nothing negotiated yet").isEmpty();
            Await.until(Duration.ofSeconds(10), "the endpoint found down", () -> client.state() == TunnelState.RECONNECTING);

            CompletableFuture<TunnelStream> waiting = client.openStream("127.0.0.1", echo.port());
            assertThat(client.status().queued()).isEqualTo(1);
            startServer(port, data);

            try (TunnelStream stream = waiting.get(20, TimeUnit.SECONDS)) {
                stream.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.US_ASCII))).join();
                assertThat(new BufferedReader(new InputStreamReader(stream.inputStream(), StandardCharsets.US_ASCII)).readLine())
                        .isEqualTo("hello");
            }
            assertThat(client.state()).isEqualTo(TunnelState.CONNECTED);
            assertThat(client.crypto()).as("the live session's algorithms").isPresent();
        }
    }

    private TestServer startServer(int port, Path data) throws Exception {
        server = TestServer.start(data, b -> b.listen("127.0.0.1", port).forwardAllow("127.0.0.1:*"));
        return server;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static ErrorCode codeOf(CompletableFuture<TunnelStream> stream) throws InterruptedException {
        try {
            stream.get(5, TimeUnit.SECONDS);
            throw new AssertionError("the stream opened");
        } catch (ExecutionException e) {
            return TunnelException.wrap(e.getCause(), ErrorCode.SSH_ERROR).code();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within 5 s", e);
        }
    }
}
