package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;

import online.cloudtolocalllm.tunnel.api.TunnelRuntime;
import org.junit.jupiter.api.Test;

/** The runtime behind {@code TunnelClient.create} is found on the path once, not on every client. */
class CoreRuntimeTest {

    @Test
    void isFoundOnceAndShared() {
        assertThat(TunnelRuntime.load()).isInstanceOf(CoreRuntime.class).isSameAs(TunnelRuntime.load());
    }
}
