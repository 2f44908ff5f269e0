package online.cloudtolocalllm.tunnel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.ReconnectPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tests every transport passes. A subclass says how a server is reached over its transport ({@link #expose});
 * the suite runs real tunnel servers and clients over it: echo both ways, 256 MiB with a SHA-256 check, 1,000
 * concurrent streams, back-pressure from a slow reader, and abrupt loss of either side.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class TransportConformanceSuite {
    protected static final String USER = "alice";

    @TempDir
    protected Path dataDir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    protected TransportConformanceSuite() {
    }

    /** Adds what this transport's server needs (a listen address, say) to the configuration. */
    protected TunnelServerConfig.Builder configure(TunnelServerConfig.Builder builder) {
        return builder;
    }

    /** Adds what this transport's clients need (a transport id, say) to their configuration. */
    protected TunnelClientConfig.Builder configureClient(TunnelClientConfig.Builder builder) {
        return builder;
    }

    /** Makes the started {@code server} reachable over the transport under test; returns the URI clients dial. */
    protected abstract URI expose(TunnelServer server) throws Exception;

    /** Releases what {@link #expose} made. */
    protected void unexpose() throws Exception {
    }

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        unexpose();
    }

    protected <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    protected TunnelServer startServer(Consumer<TunnelServerConfig.Builder> extra) throws Exception {
        TunnelServerConfig.Builder builder = TunnelServerConfig.builder()
                .dataDir(dataDir)
                .jwtSecret(TestTokens.SECRET)
                .keepAlive(Duration.ofSeconds(2), Duration.ofSeconds(6))
                .shutdownTimeout(Duration.ofSeconds(1));
        extra.accept(builder);
        TunnelServer server = TunnelServer.create(configure(builder).build());
        track(server::shutdownNow);
        server.start().get(30, TimeUnit.SECONDS);
        return server;
    }

    protected TunnelClient startClient(URI uri, TunnelServer server, Consumer<TunnelClientConfig.Builder> extra)
            throws Exception {
        TunnelClientConfig.Builder builder = TunnelClientConfig.builder()
                .server(uri)
                .token(TestTokens.valid(USER))
                .hostKeys(HostKeyPolicy.pinned(server.hostKeyFingerprint()))
                .keepAlive(Duration.ofSeconds(2), Duration.ofSeconds(6))
                .reconnect(new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.2, 0))
                .shutdownTimeout(Duration.ofSeconds(1));
        extra.accept(builder);
        TunnelClient client = TunnelClient.create(configureClient(builder).build());
        track(client::shutdownNow);
        client.start().get(30, TimeUnit.SECONDS);
        return client;
    }

    private TunnelClient exposing(TunnelServer server, URI uri, String name, TcpTestService service) throws Exception {
        return startClient(uri, server, b -> b.expose(new ExposedService(name, "127.0.0.1", service.port())));
    }

    @Test
    void echoesThroughAReverseStream() throws Exception {
        TcpTestService echo = track(TcpTestService.echo());
        TunnelServer server = startServer(b -> { });
        exposing(server, expose(server), "echo", echo);

        try (TunnelStream stream = server.openStream(USER, "echo").get(10, TimeUnit.SECONDS)) {
            assertThat(roundTrip(stream, "hello through the tunnel")).isEqualTo("hello through the tunnel");
        }
    }

    @Test
    void echoesThroughAForwardStreamToAnAllowedTarget() throws Exception {
        TcpTestService echo = track(TcpTestService.echo());
        TunnelServer server = startServer(b -> b.forwardAllow("127.0.0.1:" + echo.port()));
        TunnelClient client = startClient(expose(server), server, b -> { });

        try (TunnelStream stream = client.openStream("127.0.0.1", echo.port()).get(10, TimeUnit.SECONDS)) {
            assertThat(roundTrip(stream, "forward")).isEqualTo("forward");
        }
        assertThatThrownBy(() -> client.openStream("127.0.0.1", echo.port() + 1).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("TUNNEL_012");
    }

    @Test
    void carries256MiBThroughOneStreamIntact() throws Exception {
        TcpTestService sink = track(TcpTestService.sha256Sink());
        TunnelServer server = startServer(b -> { });
        exposing(server, expose(server), "sink", sink);

        MessageDigest sent = TcpTestService.sha256();
        byte[] chunk = new byte[256 * 1024];
        Random random = new Random(42);
        try (TunnelStream stream = server.openStream(USER, "sink").get(10, TimeUnit.SECONDS)) {
            InputStream reply = stream.inputStream();
            for (int i = 0; i < 1024; i++) {
                random.nextBytes(chunk);
                sent.update(chunk);
                stream.write(ByteBuffer.wrap(chunk)).get(30, TimeUnit.SECONDS);
            }
            stream.shutdownOutput().get(30, TimeUnit.SECONDS);
            String digest = new String(reply.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(digest).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        }
    }

    @Test
    void serves1000ConcurrentStreams() throws Exception {
        TcpTestService echo = track(TcpTestService.echo());
        TunnelServer server = startServer(b -> { });
        exposing(server, expose(server), "echo", echo);

        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String message = "stream-" + i;
            replies.add(server.openStream(USER, "echo").thenApplyAsync(stream -> {
                try (stream) {
                    return roundTrip(stream, message);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(replies.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("stream-" + i);
        }
        assertThat(server.metrics().totalStreams()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aSlowReaderHoldsTheWriterBack() throws Exception {
        TcpTestService stall = track(TcpTestService.stall());
        TunnelServer server = startServer(b -> { });
        exposing(server, expose(server), "stall", stall);

        long accepted = 0;
        ByteBuffer chunk = ByteBuffer.allocate(256 * 1024);
        try (TunnelStream stream = server.openStream(USER, "stall").get(10, TimeUnit.SECONDS)) {
            boolean blocked = false;
            while (accepted < 256L << 20) {
                try {
                    stream.write(chunk.duplicate()).get(2, TimeUnit.SECONDS);
                    accepted += chunk.capacity();
                } catch (TimeoutException e) {
                    blocked = true;
                    break;
                }
            }
            assertThat(blocked).as("writes stall once the reader stops reading").isTrue();
            assertThat(accepted).as("bytes taken before stalling").isLessThan(64L << 20);
        }
    }

    @Test
    void aVanishedClientEndsItsStreamsAndTheServerServesOthers() throws Exception {
        TcpTestService echo = track(TcpTestService.echo());
        TunnelServer server = startServer(b -> { });
        URI uri = expose(server);
        TunnelClient first = exposing(server, uri, "echo", echo);
        TunnelStream stream = server.openStream(USER, "echo").get(10, TimeUnit.SECONDS);
        assertThat(roundTrip(stream, "before")).isEqualTo("before");

        first.shutdownNow();
        stream.closeFuture().get(10, TimeUnit.SECONDS);

        TunnelClient second = exposing(server, uri, "echo", echo);
        assertThat(second.state()).isEqualTo(TunnelState.CONNECTED);
        try (TunnelStream again = server.openStream(USER, "echo").get(10, TimeUnit.SECONDS)) {
            assertThat(roundTrip(again, "after")).isEqualTo("after");
        }
    }

    @Test
    void aVanishedServerMakesTheClientReconnect() throws Exception {
        TcpTestService echo = track(TcpTestService.echo());
        TunnelServer server = startServer(b -> { });
        URI uri = expose(server);
        List<TunnelEvent.Type> seen = new CopyOnWriteArrayList<>();
        TunnelClient client = startClient(uri, server, b -> b
                .expose(new ExposedService("echo", "127.0.0.1", echo.port()))
                .listener(event -> seen.add(event.type())));
        TunnelStream stream = server.openStream(USER, "echo").get(10, TimeUnit.SECONDS);

        server.shutdownNow();
        stream.closeFuture().get(10, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(10), "client notices the loss", () -> seen.contains(TunnelEvent.Type.RECONNECTING));
        assertThat(seen).contains(TunnelEvent.Type.DISCONNECTED);
        assertThat(client.state()).isIn(TunnelState.RECONNECTING, TunnelState.CONNECTING);
    }

    /** Writes {@code message}, reads as many bytes back. */
    protected static String roundTrip(TunnelStream stream, String message) throws Exception {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        InputStream in = stream.inputStream();
        stream.write(ByteBuffer.wrap(bytes)).get(10, TimeUnit.SECONDS);
        byte[] back = in.readNBytes(bytes.length);
        return new String(back, StandardCharsets.UTF_8);
    }
}
