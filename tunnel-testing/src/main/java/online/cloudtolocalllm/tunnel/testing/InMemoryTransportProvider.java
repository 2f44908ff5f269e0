package online.cloudtolocalllm.tunnel.testing;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.spi.ClientTransport;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.TransportConfig;
import online.cloudtolocalllm.tunnel.spi.TransportProvider;

/** The {@code mem://} transport of {@link InMemoryTransport}. */
public final class InMemoryTransportProvider implements TransportProvider {

    /** For {@link java.util.ServiceLoader}. */
    public InMemoryTransportProvider() {
    }

    @Override
    public String id() {
        return "in-memory";
    }

    @Override
    public boolean supports(URI uri) {
        return "mem".equals(uri.getScheme());
    }

    @Override
    public ClientTransport create(TransportConfig config) {
        return new ClientTransport() {
            @Override
            public CompletableFuture<FrameConnection> connect(URI uri, Map<String, String> headers) {
                return InMemoryTransport.connect(uri, headers);
            }

            @Override
            public void close() {
                // nothing held between connections
            }
        };
    }
}
