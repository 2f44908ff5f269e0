package online.cloudtolocalllm.tunnel.core;

import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.spi.Authenticator;
import online.cloudtolocalllm.tunnel.spi.AuthenticatorProvider;

/** The built-in authenticator: JWT (secret or JWKS) and an authorized_keys file, as the server config says. */
public final class DefaultAuthenticatorProvider implements AuthenticatorProvider {

    @Override
    public String id() {
        return "default";
    }

    @Override
    public Authenticator create(TunnelServerConfig config) {
        JwtAuthenticator jwt = null;
        if (config.jwtSecret().isPresent()) {
            jwt = JwtAuthenticator.hs256(config.jwtSecret().get(), config.clock(), config.jwtIssuer().orElse(null),
                    config.jwtAudience().orElse(null));
        } else if (config.jwksUrl().isPresent()) {
            jwt = JwtAuthenticator.jwks(config.jwksUrl().get(), config.clock(), config.jwtIssuer().orElse(null),
                    config.jwtAudience().orElse(null));
        }
        AuthorizedKeys keys = config.authorizedKeys().map(AuthorizedKeys::new).orElse(null);
        if (jwt == null && keys == null) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR,
                    "No authentication configured: give a JWT secret, a JWKS URL or an authorized_keys file");
        }
        return new DefaultAuthenticator(jwt, keys);
    }
}
