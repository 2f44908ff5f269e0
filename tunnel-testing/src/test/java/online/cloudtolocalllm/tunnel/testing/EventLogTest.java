package online.cloudtolocalllm.tunnel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import org.junit.jupiter.api.Test;

/** The test kit's event log and clock: waiting for events from a mark, counting, and moving time by hand. */
class EventLogTest {
    private final EventLog log = new EventLog();

    private static TunnelEvent event(TunnelEvent.Type type, String service, String detail) {
        return new TunnelEvent(type, Instant.EPOCH, "here", "alice", service, detail, null, 0, null);
    }

    @Test
    void awaitsOnlyEventsAfterItsMark() {
        log.onEvent(event(TunnelEvent.Type.SERVICE_REGISTERED, "llm", ""));
        int mark = log.mark();
        CompletableFuture<TunnelEvent> later = log.after(mark, EventLog.service(TunnelEvent.Type.SERVICE_REGISTERED, "alice", "llm"));
        assertThat(later).as("the earlier registration is before the mark").isNotDone();

        log.onEvent(event(TunnelEvent.Type.SERVICE_REGISTERED, "llm", "again"));

        assertThat(later.join().detail()).isEqualTo("again");
        assertThat(log.since(mark)).hasSize(1);
        assertThat(log.await(EventLog.detail(TunnelEvent.Type.SERVICE_REGISTERED, "ag"), Duration.ofSeconds(1), "again"))
                .isSameAs(later.join());
    }

    @Test
    void aMissingEventFailsWithTheEventsThereWere() {
        log.onEvent(event(TunnelEvent.Type.CONNECTED, null, "session 1"));

        assertThatThrownBy(() -> log.await(EventLog.type(TunnelEvent.Type.DISCONNECTED), Duration.ofMillis(50), "the end"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("the end").hasMessageContaining("session 1");
        assertThatThrownBy(() -> log.awaitCount(TunnelEvent.Type.CONNECTED, 2, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("2 CONNECTED events");
        assertThat(log.awaitCount(TunnelEvent.Type.CONNECTED, 1, Duration.ofMillis(50))).hasSize(1);
    }

    @Test
    void theClockMovesOnlyWhenTold() {
        MutableClock clock = new MutableClock();
        Instant start = clock.instant();
        assertThat(clock.instant()).isEqualTo(start);

        clock.advance(Duration.ofHours(1));

        assertThat(clock.instant()).isEqualTo(start.plus(Duration.ofHours(1)));
    }
}
