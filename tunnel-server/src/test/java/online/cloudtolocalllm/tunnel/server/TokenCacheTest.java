package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import online.cloudtolocalllm.tunnel.spi.Identity;
import org.junit.jupiter.api.Test;

/** Verified ingress tokens are remembered for a minute at most, and never past their own expiry. */
class TokenCacheTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static final class MovableClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void remembersATokenForTheTtl() {
        MovableClock clock = new MovableClock();
        TokenCache cache = new TokenCache(clock);
        Identity alice = new Identity("alice", NOW.plus(Duration.ofHours(1)), Map.of());
        cache.put("t", alice);
        assertThat(cache.get("t")).isEqualTo(alice);
        clock.now = NOW.plus(TokenCache.TTL).minusSeconds(1);
        assertThat(cache.get("t")).isEqualTo(alice);
        clock.now = NOW.plus(TokenCache.TTL);
        assertThat(cache.get("t")).as("verified again after the TTL").isNull();
    }

    @Test
    void neverOutlivesTheTokensExpiry() {
        MovableClock clock = new MovableClock();
        TokenCache cache = new TokenCache(clock);
        cache.put("t", new Identity("alice", NOW.plusSeconds(5), Map.of()));
        clock.now = NOW.plusSeconds(5);
        assertThat(cache.get("t")).isNull();
        assertThat(cache.get("unknown")).isNull();
    }
}
