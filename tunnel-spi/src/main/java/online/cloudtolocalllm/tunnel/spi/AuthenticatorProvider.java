package online.cloudtolocalllm.tunnel.spi;

import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;

/** Makes the server's {@link Authenticator} from its configuration. */
public interface AuthenticatorProvider extends TunnelProvider<TunnelServerConfig, Authenticator> {
}
