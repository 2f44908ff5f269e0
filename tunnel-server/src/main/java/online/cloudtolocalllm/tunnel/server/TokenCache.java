package online.cloudtolocalllm.tunnel.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import online.cloudtolocalllm.tunnel.spi.Identity;
import org.jspecify.annotations.Nullable;

/**
 * Tokens ingress has already verified, so a caller sending the same bearer token on every request is checked on the
 * event loop without a trip to the verifier's thread. An entry lives at most {@link #TTL} (key rotation and JWKS
 * changes take effect within it) and never past the token's own expiry.
 */
final class TokenCache {
    static final Duration TTL = Duration.ofSeconds(60);
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Identity identity, Instant until) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    TokenCache(Clock clock) {
        this.clock = clock;
    }

    /** The identity {@code token} proved, if it was verified recently and has not expired. */
    @Nullable Identity get(String token) {
        Entry entry = entries.get(token);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.until())) {
            entries.remove(token, entry);
            return null;
        }
        return entry.identity();
    }

    void put(String token, Identity identity) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        Instant until = clock.instant().plus(TTL);
        if (identity.expiresAt() != null && identity.expiresAt().isBefore(until)) {
            until = identity.expiresAt();
        }
        entries.put(token, new Entry(identity, until));
    }
}
