package online.cloudtolocalllm.tunnel.transport.websocket;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import online.cloudtolocalllm.tunnel.spi.ClientTransport;
import online.cloudtolocalllm.tunnel.spi.TransportConfig;
import online.cloudtolocalllm.tunnel.spi.TransportProvider;

/**
 * The default client WebSocket transport, on Netty, for {@code ws://} and {@code wss://} servers. It is preferred
 * over {@link OkHttpTransportProvider} because a client must mask every byte it sends, and OkHttp's masking loop
 * took 77% of the client's CPU in bulk transfers here; Netty masks a word at a time.
 */
public final class NettyTransportProvider implements TransportProvider {
    private static final Set<String> SCHEMES = Set.of("ws", "wss");

    /** For {@link java.util.ServiceLoader}. */
    public NettyTransportProvider() {
    }

    @Override
    public String id() {
        return "netty";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean supports(URI uri) {
        return uri.getScheme() != null && SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT));
    }

    @Override
    public ClientTransport create(TransportConfig config) {
        return new NettyClientTransport(config);
    }
}
