package online.cloudtolocalllm.tunnel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import online.cloudtolocalllm.tunnel.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The failback rule against a hand-moved clock: back to a better endpoint only once it has been up for the delay. */
class FailbackTest {
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Endpoint PRIMARY = Endpoint.parse("ws://primary:1", 0);
    private static final Endpoint BACKUP = Endpoint.parse("ws://backup:1", 1);
    private static final Endpoint WORSE = Endpoint.parse("ws://worse:1", 2);
    private static final List<Endpoint> ALL = List.of(PRIMARY, BACKUP, WORSE);

    private final MutableClock clock = new MutableClock();
    private final HealthBoard board = new HealthBoard(ALL, clock.instant());
    private final Failback failback = new Failback(DELAY, new EndpointSelector(new SplittableRandom(1)));

    @Test
    void thePrimaryIsChosenOnlyOnceItHasBeenHealthyForTheDelay() {
        board.record(PRIMARY, false, clock.instant());
        board.record(WORSE, true, clock.instant());
        assertThat(failback.target(BACKUP, ALL, board, clock.instant())).as("primary down").isEmpty();

        board.record(PRIMARY, true, clock.instant());
        clock.advance(DELAY.minusMillis(1));
        assertThat(failback.target(BACKUP, ALL, board, clock.instant())).as("1 ms short").isEmpty();

        clock.advance(Duration.ofMillis(1));
        assertThat(failback.target(BACKUP, ALL, board, clock.instant())).contains(PRIMARY);
    }

    @Test
    void aFailedCheckStartsTheDelayAgain() {
        board.record(PRIMARY, true, clock.instant());
        clock.advance(DELAY.minusSeconds(1));
        board.record(PRIMARY, false, clock.instant());
        board.record(PRIMARY, true, clock.instant());
        clock.advance(Duration.ofSeconds(2));
        assertThat(failback.target(BACKUP, ALL, board, clock.instant())).as("healthy again for 2 s only").isEmpty();

        clock.advance(DELAY);
        assertThat(failback.target(BACKUP, ALL, board, clock.instant())).contains(PRIMARY);
    }

    @Test
    void onlyABetterPriorityIsAFailback() {
        ALL.forEach(endpoint -> board.record(endpoint, true, clock.instant()));
        clock.advance(DELAY.multipliedBy(10));

        assertThat(failback.target(PRIMARY, ALL, board, clock.instant())).as("already on the primary").isEmpty();
        assertThat(failback.target(WORSE, ALL, board, clock.instant())).as("the best of the better ones").contains(PRIMARY);
        board.record(PRIMARY, false, clock.instant());
        assertThat(failback.target(WORSE, ALL, board, clock.instant())).contains(BACKUP);
    }
}
