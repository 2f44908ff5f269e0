package online.cloudtolocalllm.tunnel.spi;

import java.security.PublicKey;

/** Decides who a token or an SSH key belongs to. Implementations are thread-safe. */
public interface Authenticator {

    /**
     * The identity a bearer token proves. Throws a {@link online.cloudtolocalllm.tunnel.api.TunnelException} with
     * {@code AUTHENTICATION_FAILED} (TUNNEL_002) or {@code TOKEN_EXPIRED} (TUNNEL_003) when it proves none.
     */
    Identity authenticateToken(String token);

    /** Whether {@code key} may log in as {@code user} over SSH. */
    default boolean authorizeKey(String user, PublicKey key) {
        return false;
    }
}
