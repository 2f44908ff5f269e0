package online.cloudtolocalllm.tunnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfOddCountIsTheMiddleValue() {
        assertThat(Stats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void spreadHasMedianMinMaxAndCount() {
        assertThat(Stats.spread(List.of(7.0, 2.0, 9.0, 4.0, 5.0))).isEqualTo(new Stats.Spread(5.0, 2.0, 9.0, 5));
    }

    @Test
    void percentilesAreNearestRank() {
        List<Double> samples = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            samples.add((double) i);
        }
        assertThat(Stats.percentile(samples, 50)).isEqualTo(500);
        assertThat(Stats.percentile(samples, 99)).isEqualTo(990);
        assertThat(Stats.percentile(samples, 99.9)).isEqualTo(999);
        assertThat(Stats.percentile(samples, 100)).isEqualTo(1000);
        assertThat(Stats.percentile(List.of(3.0, 1.0, 2.0), 0.1)).isEqualTo(1);
    }

    @Test
    void percentileOfFewSamplesIsTheLargestForHighPercentiles() {
        assertThat(Stats.percentile(List.of(10.0, 20.0, 30.0, 40.0, 50.0), 99)).isEqualTo(50);
        assertThat(Stats.percentile(List.of(10.0, 20.0, 30.0, 40.0, 50.0), 50)).isEqualTo(30);
    }

    @Test
    void refusesNoSamplesAndPercentilesOutOfRange() {
        assertThatThrownBy(() -> Stats.median(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(List.of(1.0), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(List.of(1.0), 100.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
