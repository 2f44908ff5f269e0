package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import online.cloudtolocalllm.tunnel.api.ReconnectPolicy;
import org.junit.jupiter.api.Test;

/** Small policies: reconnect back-off with jitter, the forward allow-list, and how forward requests name services. */
class PolicyTest {

    @Test
    void backoffDoublesFromOneSecondToAThirtySecondCapAndJitterOnlyShortens() {
        Backoff backoff = new Backoff(ReconnectPolicy.DEFAULT, new Random(7));
        long[] bases = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (int attempt = 1; attempt <= bases.length; attempt++) {
            Duration delay = backoff.delay(attempt);
            assertThat(delay.toMillis()).isBetween((long) (bases[attempt - 1] * 0.8), bases[attempt - 1]);
        }
        Backoff noJitter = new Backoff(new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.0, 3),
                new Random(7));
        assertThat(noJitter.delay(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(noJitter.exhausted(3)).isFalse();
        assertThat(noJitter.exhausted(4)).isTrue();
    }

    @Test
    void jitterSpreadsClientsApart() {
        Backoff backoff = new Backoff(ReconnectPolicy.DEFAULT, new Random(1));
        assertThat(java.util.stream.IntStream.range(0, 20).mapToObj(i -> backoff.delay(3)).distinct().count()).isGreaterThan(10);
    }

    @Test
    void forwardPolicyMatchesHostsAndPortsWithWildcards() {
        ForwardPolicy policy = new ForwardPolicy(List.of("db.internal:5432", "*.cache.local:6379", "127.0.0.1:*"));
        assertThat(policy.allows("db.internal", 5432)).isTrue();
        assertThat(policy.allows("DB.INTERNAL", 5432)).isTrue();
        assertThat(policy.allows("db.internal", 5433)).isFalse();
        assertThat(policy.allows("a.cache.local", 6379)).isTrue();
        assertThat(policy.allows("cache.local", 6379)).isFalse();
        assertThat(policy.allows("127.0.0.1", 1)).isTrue();
        assertThat(new ForwardPolicy(List.of()).allows("127.0.0.1", 1)).as("deny by default").isFalse();
    }

    @Test
    void aNamedAddressIsTheServiceAndAnEmptyOrLoopbackOneMakesThePortTheName() {
        assertThat(ServiceNames.fromForwardRequest("llm", 80)).isEqualTo("llm");
        assertThat(ServiceNames.fromForwardRequest("", 11434)).isEqualTo("11434");
        assertThat(ServiceNames.fromForwardRequest("localhost", 11434)).isEqualTo("11434");
        assertThat(ServiceNames.fromForwardRequest("0.0.0.0", 11434)).isEqualTo("11434");
        assertThat(ServiceNames.fromForwardRequest("::1", 8080)).isEqualTo("8080");
    }
}
