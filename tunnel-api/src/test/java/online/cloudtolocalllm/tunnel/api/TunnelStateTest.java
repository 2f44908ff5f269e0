package online.cloudtolocalllm.tunnel.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TunnelStateTest {
    @Test
    void onlyFailedAndClosedAreFinal() {
        assertThat(Arrays.stream(TunnelState.values()).filter(TunnelState::isFinal))
                .containsExactlyInAnyOrder(TunnelState.FAILED, TunnelState.CLOSED);
    }
}
