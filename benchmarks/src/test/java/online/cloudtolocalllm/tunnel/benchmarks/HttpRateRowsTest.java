package online.cloudtolocalllm.tunnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which rows of scenario 2 a measurement lands in, so that each row holds every setup of the same rounds. */
class HttpRateRowsTest {
    private static final HttpRateScenario.Load KEEP_ALIVE = new HttpRateScenario.Load("64 keep-alive connections", 64, false);
    private static final HttpRateScenario.Load CLOSE = new HttpRateScenario.Load("64 connections, Connection: close", 64, true);

    @Test
    void peersOfAKeepAliveLoadGoToTheIngressRowAndTheTcpListenerRow() {
        for (String peer : List.of(Setups.DIRECT, Setups.SSH_L, Setups.SSH_R)) {
            assertThat(HttpRateScenario.rows(KEEP_ALIVE, target(peer), false)).containsExactly("", HttpRateScenario.THROUGH_TCP);
        }
    }

    @Test
    void oursGoesOnlyToTheRowOfTheWayItWasReached() {
        assertThat(HttpRateScenario.rows(KEEP_ALIVE, target(Setups.OURS), false)).containsExactly("");
        assertThat(HttpRateScenario.rows(KEEP_ALIVE, target(Setups.OURS), true)).containsExactly(HttpRateScenario.THROUGH_TCP);
    }

    @Test
    void connectionCloseHasOnlyTheIngressRow() {
        assertThat(HttpRateScenario.rows(CLOSE, target(Setups.SSH_L), false)).containsExactly("");
        assertThat(HttpRateScenario.rows(CLOSE, target(Setups.OURS), false)).containsExactly("");
    }

    private static Target target(String name) {
        return new Target(name, 1, "", 2, List::of, List::of);
    }
}
