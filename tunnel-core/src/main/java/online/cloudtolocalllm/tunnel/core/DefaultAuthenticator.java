package online.cloudtolocalllm.tunnel.core;

import java.security.PublicKey;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.Authenticator;
import online.cloudtolocalllm.tunnel.spi.Identity;
import org.jspecify.annotations.Nullable;

/** Tokens through JWT, keys through an authorized_keys file; either may be absent. */
final class DefaultAuthenticator implements Authenticator {
    private final @Nullable JwtAuthenticator jwt;
    private final @Nullable AuthorizedKeys keys;

    DefaultAuthenticator(@Nullable JwtAuthenticator jwt, @Nullable AuthorizedKeys keys) {
        this.jwt = jwt;
        this.keys = keys;
    }

    @Override
    public Identity authenticateToken(String token) {
        if (jwt == null) {
            throw new TunnelException(ErrorCode.AUTHENTICATION_FAILED, "This server does not accept tokens; log in with an SSH key");
        }
        return jwt.authenticate(token);
    }

    @Override
    public boolean authorizeKey(String user, PublicKey key) {
        return keys != null && keys.authorizes(user, key);
    }
}
