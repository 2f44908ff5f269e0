package online.cloudtolocalllm.tunnel.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.testing.InMemoryTransport;
import online.cloudtolocalllm.tunnel.testing.TestTokens;

/** An embedded tunnel server reachable in this JVM at a {@code mem://} URI, signed with {@link TestTokens#SECRET}. */
final class TunnelFixture implements AutoCloseable {
    final TunnelServer server;
    final URI uri;
    private final String name = "cli-" + UUID.randomUUID();

    TunnelFixture(Path dataDir) {
        server = TunnelServer.create(TunnelServerConfig.builder().dataDir(dataDir).jwtSecret(TestTokens.SECRET)
                .shutdownTimeout(Duration.ZERO).build());
        server.start().join();
        uri = InMemoryTransport.bind(name, server);
    }

    /** A client of this server with {@code token}, pinned to its host key, exposing nothing. */
    TunnelClient client(String token) {
        return TunnelClient.create(TunnelClientConfig.builder().server(uri).token(token)
                .hostKeys(HostKeyPolicy.pinned(server.hostKeyFingerprint())).shutdownTimeout(Duration.ZERO).build());
    }

    @Override
    public void close() {
        InMemoryTransport.unbind(name);
        server.shutdownNow();
    }
}
