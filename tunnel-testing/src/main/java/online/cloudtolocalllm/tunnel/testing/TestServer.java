package online.cloudtolocalllm.tunnel.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.ReconnectPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;

/**
 * A standalone tunnel server on a free loopback port for tests (it needs {@code tunnel-server} on the path), with
 * short keepalives, and clients pinned to its host key. Close it to shut everything down at once.
 */
public final class TestServer implements AutoCloseable {
    private final TunnelServer server;
    private final List<TunnelClient> clients = new ArrayList<>();

    private TestServer(TunnelServer server) {
        this.server = server;
    }

    /** Starts a server keeping its host key in {@code dataDir}; {@code extra} adjusts the configuration. */
    public static TestServer start(Path dataDir, Consumer<TunnelServerConfig.Builder> extra) throws Exception {
        TunnelServerConfig.Builder builder = TunnelServerConfig.builder()
                .listen("127.0.0.1", 0)
                .dataDir(dataDir)
                .jwtSecret(TestTokens.SECRET)
                .keepAlive(Duration.ofSeconds(2), Duration.ofSeconds(6))
                .shutdownTimeout(Duration.ofSeconds(2));
        extra.accept(builder);
        TunnelServer server = TunnelServer.create(builder.build());
        server.start().get(30, TimeUnit.SECONDS);
        return new TestServer(server);
    }

    public static TestServer start(Path dataDir) throws Exception {
        return start(dataDir, builder -> { });
    }

    public TunnelServer server() {
        return server;
    }

    public int port() {
        return server.address().orElseThrow().getPort();
    }

    /** The tunnel endpoint, {@code ws://127.0.0.1:port/tunnel}. */
    public URI tunnelUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/tunnel");
    }

    /** The tunnel endpoint over TLS, {@code wss://127.0.0.1:port/tunnel}, for a server with TLS settings. */
    public URI secureTunnelUri() {
        return URI.create("wss://127.0.0.1:" + port() + "/tunnel");
    }

    /** The ingress URL over TLS of {@code path} on {@code user}'s {@code service}, for a server with TLS settings. */
    public URI secureIngress(String user, String service, String path) {
        return URI.create("https://127.0.0.1:" + port() + "/t/" + user + "/" + service + path);
    }

    /** The ingress URL of {@code path} on {@code user}'s {@code service}. */
    public URI ingress(String user, String service, String path) {
        return URI.create("http://127.0.0.1:" + port() + "/t/" + user + "/" + service + path);
    }

    /** A base configuration for a client of {@code user}: token, pinned host key, short keepalive and back-off. */
    public TunnelClientConfig.Builder clientConfig(String user) {
        return TunnelClientConfig.builder()
                .server(tunnelUri())
                .token(TestTokens.valid(user))
                .hostKeys(HostKeyPolicy.pinned(server.hostKeyFingerprint()))
                .keepAlive(Duration.ofSeconds(2), Duration.ofSeconds(6))
                .reconnect(new ReconnectPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), 2.0, 0.2, 0))
                .shutdownTimeout(Duration.ofSeconds(2));
    }

    /** Connects a client of {@code user} exposing {@code services}; returns once they are registered. */
    public TunnelClient connect(String user, ExposedService... services) throws Exception {
        TunnelClientConfig.Builder builder = clientConfig(user);
        for (ExposedService service : services) {
            builder.expose(service);
        }
        return connect(builder.build());
    }

    /** Starts a client with {@code config}; returns once it is connected. */
    public TunnelClient connect(TunnelClientConfig config) throws Exception {
        TunnelClient client = TunnelClient.create(config);
        clients.add(client);
        client.start().get(30, TimeUnit.SECONDS);
        return client;
    }

    @Override
    public void close() {
        clients.forEach(TunnelClient::shutdownNow);
        server.shutdownNow();
    }
}
