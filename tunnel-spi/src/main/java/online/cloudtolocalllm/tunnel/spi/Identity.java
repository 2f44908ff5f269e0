package online.cloudtolocalllm.tunnel.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who a connection or request authenticated as.
 *
 * @param user the user id (the JWT subject, or the user an SSH key is authorized for)
 * @param expiresAt when the credential expires, if it does
 * @param claims further claims, such as a JWT's
 */
public record Identity(String user, @Nullable Instant expiresAt, Map<String, Object> claims) {
    private static final Identity ANONYMOUS = new Identity("", null, Map.of());

    public Identity {
        Objects.requireNonNull(user, "user");
        claims = Map.copyOf(claims);
    }

    /** Not authenticated yet: the SSH login (with a public key, say) decides. */
    public static Identity anonymous() {
        return ANONYMOUS;
    }

    public boolean isAnonymous() {
        return user.isEmpty();
    }
}
