package online.cloudtolocalllm.tunnel.spi;

import java.util.Objects;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;

/**
 * What a server host is created with.
 *
 * @param config the server's configuration (listen address, frame limit, timeouts)
 * @param server the server, to open streams to services for ingress
 * @param acceptor where tunnel connections go
 * @param authenticator checks ingress bearer tokens
 */
public record ServerHostContext(TunnelServerConfig config, TunnelServer server, TunnelAcceptor acceptor,
        Authenticator authenticator) {
    public ServerHostContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(acceptor, "acceptor");
        Objects.requireNonNull(authenticator, "authenticator");
    }
}
