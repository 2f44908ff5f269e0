package online.cloudtolocalllm.tunnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpTest {
    @Test
    void roundsRepeatUntilTwoInARowAgreeWithinFivePercent() throws Exception {
        // a JIT settling: 117, 296, 438, 475 and 559 MB/s, then 548 is within 5 % of 559
        Iterator<Double> rates = List.of(117.0, 296.0, 438.0, 475.0, 559.0, 548.0, 999.0).iterator();
        assertThat(WarmUp.untilSteady("bulk", false, rates::next)).isEqualTo(6);
        assertThat(rates.next()).as("the round after the settled one is not run").isEqualTo(999.0);
    }

    @Test
    void aRateThatNeverSettlesStopsAtTheLimit() throws Exception {
        double[] rate = {100};
        assertThat(WarmUp.untilSteady("requests", false, () -> rate[0] *= 1.2)).isEqualTo(WarmUp.MAX_ROUNDS);
    }

    @Test
    void aQuickRunWarmsUpOnce() throws Exception {
        int[] rounds = {0};
        assertThat(WarmUp.untilSteady("bulk", true, () -> ++rounds[0])).isEqualTo(1);
        assertThat(rounds[0]).isEqualTo(1);
    }

    @Test
    void settledMeansWithinFivePercentEitherWay() {
        assertThat(WarmUp.settled(100, 105)).isTrue();
        assertThat(WarmUp.settled(100, 95)).isTrue();
        assertThat(WarmUp.settled(100, 106)).isFalse();
        assertThat(WarmUp.settled(100, 94)).isFalse();
    }
}
