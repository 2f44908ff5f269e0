package online.cloudtolocalllm.tunnel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Priority first, then weighted random among equals; the randomness is seeded so the test is repeatable. */
class EndpointSelectionTest {
    private static final Endpoint PRIMARY = Endpoint.parse("ws://primary:1", 0);
    private static final Endpoint HEAVY = Endpoint.parse("ws://heavy:1#priority=1&weight=3", 0);
    private static final Endpoint LIGHT = Endpoint.parse("ws://light:1#priority=1&weight=1", 0);
    private static final Endpoint LAST = Endpoint.parse("ws://last:1#priority=2&weight=100", 0);

    private final EndpointSelector selector = new EndpointSelector(new SplittableRandom(42));

    @Test
    void theBestPriorityWinsWhateverTheWeights() {
        for (int i = 0; i < 1000; i++) {
            assertThat(selector.choose(List.of(LAST, LIGHT, PRIMARY, HEAVY))).contains(PRIMARY);
        }
        assertThat(selector.choose(List.of(LAST))).contains(LAST);
        assertThat(selector.choose(List.of())).isEmpty();
    }

    @Test
    void equalPrioritiesShareByWeightWithinTolerance() {
        int picks = 40_000;
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(selector.choose(List.of(HEAVY, LIGHT, LAST)).orElseThrow(), 1, Integer::sum);
        }
        double heavyShare = counts.get(HEAVY) / (double) picks;
        System.out.printf("weighted selection over %d picks: heavy (weight 3) %.4f, light (weight 1) %.4f%n",
                picks, heavyShare, counts.get(LIGHT) / (double) picks);
        assertThat(counts).doesNotContainKey(LAST);
        assertThat(heavyShare).isBetween(0.75 - 0.01, 0.75 + 0.01);
        assertThat(counts.get(HEAVY) + counts.get(LIGHT)).isEqualTo(picks);
    }
}
