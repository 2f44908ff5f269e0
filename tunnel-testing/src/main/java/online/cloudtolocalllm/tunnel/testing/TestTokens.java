package online.cloudtolocalllm.tunnel.testing;

import java.time.Duration;
import java.time.Instant;
import online.cloudtolocalllm.tunnel.core.Tokens;

/** HS256 tokens for tests, signed with {@link #SECRET}. */
public final class TestTokens {
    /** The shared secret test servers are configured with. */
    public static final String SECRET = "test-secret-that-is-at-least-32-bytes-long";

    private TestTokens() {
    }

    /** A token for {@code user} valid for an hour. */
    public static String valid(String user) {
        return Tokens.mint(SECRET, user, Instant.now(), Duration.ofHours(1));
    }

    /** A token for {@code user} that expired an hour ago. */
    public static String expired(String user) {
        return Tokens.mint(SECRET, user, Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    }

    /** A token for {@code user} signed with another secret. */
    public static String forged(String user) {
        return Tokens.mint("another-secret-that-is-at-least-32-bytes", user, Instant.now(), Duration.ofHours(1));
    }
}
