package online.cloudtolocalllm.tunnel.spi;

import java.net.URI;

/** Makes {@link ClientTransport}s for some URI schemes. */
public interface TransportProvider extends TunnelProvider<TransportConfig, ClientTransport> {

    /** Whether this transport can dial {@code uri} (by its scheme, typically). */
    boolean supports(URI uri);
}
