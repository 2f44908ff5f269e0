package online.cloudtolocalllm.tunnel.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import org.junit.jupiter.api.Test;

/** Defaults, checks, and the configuration each endpoint's connection gets. */
class FailoverConfigTest {
    private final TunnelClientConfig client = TunnelClientConfig.builder().server("ws://a:1").token("jwt").sessions(3)
            .hostKeys(HostKeyPolicy.pinned("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).listener(event -> { }).build();

    @Test
    void defaultsDetectInFiveSecondsAndFailBackAfterThirty() {
        FailoverConfig config = FailoverConfig.builder(client).build();
        assertThat(config.detectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.failbackDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.queueSize()).isEqualTo(256);
        assertThat(config.queueDeadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.endpoints()).as("the client's server alone").containsExactly(new Endpoint(URI.create("ws://a:1/tunnel"), 0, 1));
    }

    @Test
    void eachEndpointsConnectionNoticesSilenceWithinTheDetectTimeAndMakesOneAttempt() {
        FailoverConfig config = FailoverConfig.builder(client).detectTimeout(Duration.ofSeconds(2))
                .endpoint(URI.create("ws://b:2"), 1, 1).build();
        TunnelClientConfig b = config.forEndpoint(config.endpoints().getFirst());

        assertThat(b.server()).isEqualTo(URI.create("ws://b:2/tunnel"));
        assertThat(b.keepAliveTimeout()).isLessThan(Duration.ofSeconds(2));
        assertThat(b.keepAliveInterval()).isLessThan(b.keepAliveTimeout());
        assertThat(b.reconnect().maxAttempts()).isEqualTo(1);
        assertThat(b.sessions()).isEqualTo(1);
        assertThat(b.drainHandoff()).as("tells a draining server it moves").isTrue();
        assertThat(b.listeners()).as("the connection's events go to the failover client only").isEmpty();
        assertThat(b.token()).contains("jwt");
    }

    @Test
    void badValuesAreRefusedAtOnce() {
        FailoverConfig.Builder builder = FailoverConfig.builder(client).endpoint(URI.create("ws://b:2"), 0, 1);
        assertThatThrownBy(() -> builder.endpoint(URI.create("ws://b:2"), 1, 2)).hasMessageContaining("already listed");
        assertThatThrownBy(() -> builder.queueSize(-1)).hasMessageContaining("queueSize");
        assertThatThrownBy(() -> builder.queueDeadline(Duration.ZERO)).hasMessageContaining("queueDeadline must be positive");
        assertThatThrownBy(() -> builder.failbackDelay(Duration.ofSeconds(-1))).hasMessageContaining("failbackDelay");
        assertThatThrownBy(() -> builder.detectTimeout(Duration.ofMillis(100)).build()).hasMessageContaining("at least 500 ms");
    }
}
