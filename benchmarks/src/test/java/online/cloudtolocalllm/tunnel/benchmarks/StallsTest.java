package online.cloudtolocalllm.tunnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Counting the time a spinning thread lost, and the probe that measures it on each core. */
class StallsTest {
    @Test
    void onlyGapsOverTheThresholdCountAsLost() {
        Stalls stalls = new Stalls();
        for (int i = 0; i < 1000; i++) {
            stalls.gap(1_000); // the loop itself: 1 ms in all
        }
        stalls.gap(Stalls.THRESHOLD_NANOS); // at the threshold: not a stall
        stalls.gap(200_000);
        stalls.gap(3_000_000);
        stalls.gap(2_000_000);

        // 5.2 ms lost of 6.25 ms observed
        assertThat(stalls.describe()).isEqualTo("83.2 % of 0.0 s lost in 3 stalls over 50 µs, 2 over 1 ms, the longest 3.00 ms");
    }

    @Test
    void nothingObservedIsNoLoss() {
        assertThat(new Stalls().describe()).isEqualTo("0.0 % of 0.0 s lost in 0 stalls over 50 µs, 0 over 1 ms, the longest 0.00 ms");
    }

    @Test
    void probesRunPinnedToBothCoresAtOnce() throws InterruptedException {
        String stalls = Machine.stalls(0.3);

        assertThat(stalls).matches("core 0: \\d+\\.\\d % of 0\\.3 s lost in \\d+ stalls over 50 µs, \\d+ over 1 ms, the longest "
                + "\\d+\\.\\d\\d ms; core 1: \\d+\\.\\d % of 0\\.3 s lost .*");
    }
}
