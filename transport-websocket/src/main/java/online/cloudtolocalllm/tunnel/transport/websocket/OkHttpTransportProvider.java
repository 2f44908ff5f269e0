package online.cloudtolocalllm.tunnel.transport.websocket;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import online.cloudtolocalllm.tunnel.spi.ClientTransport;
import online.cloudtolocalllm.tunnel.spi.TransportConfig;
import online.cloudtolocalllm.tunnel.spi.TransportProvider;

/** The client WebSocket transport on OkHttp, for {@code ws://} and {@code wss://} servers. */
public final class OkHttpTransportProvider implements TransportProvider {
    private static final Set<String> SCHEMES = Set.of("ws", "wss");

    /** For {@link java.util.ServiceLoader}. */
    public OkHttpTransportProvider() {
    }

    @Override
    public String id() {
        return "okhttp";
    }

    @Override
    public boolean supports(URI uri) {
        return uri.getScheme() != null && SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT));
    }

    @Override
    public ClientTransport create(TransportConfig config) {
        return new OkHttpTransport(config);
    }
}
