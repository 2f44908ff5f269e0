package online.cloudtolocalllm.tunnel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The queue of forward streams waiting for a session: bounded in size and in time, with explicit errors. */
class StreamQueueTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock();
    private final StreamQueue queue = new StreamQueue(2, DEADLINE, clock);

    @Test
    void aFullQueueRefusesAtOnceWithTunnel006() {
        CompletableFuture<TunnelStream> first = queue.add("db", 5432);
        CompletableFuture<TunnelStream> second = queue.add("db", 5432);
        CompletableFuture<TunnelStream> third = queue.add("db", 5432);

        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(codeOf(third)).isEqualTo(ErrorCode.QUEUE_FULL);
        assertThat(ErrorCode.QUEUE_FULL.code()).isEqualTo("TUNNEL_006");
        assertThat(queue.size()).isEqualTo(2);
    }

    @Test
    void aRequestStillWaitingAtItsDeadlineFailsWithTunnel007() {
        CompletableFuture<TunnelStream> early = queue.add("db", 5432);
        clock.advance(Duration.ofSeconds(4));
        CompletableFuture<TunnelStream> later = queue.add("web", 80);

        clock.advance(DEADLINE.minusSeconds(4).minusMillis(1));
        queue.expire();
        assertThat(early).as("1 ms before its deadline").isNotDone();

        clock.advance(Duration.ofMillis(1));
        queue.expire();
        assertThat(codeOf(early)).isEqualTo(ErrorCode.REQUEST_TIMEOUT);
        assertThat(later).isNotDone();
        assertThat(queue.size()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(4));
        queue.expire();
        assertThat(codeOf(later)).isEqualTo(ErrorCode.REQUEST_TIMEOUT);
        assertThat(queue.size()).isZero();
    }

    @Test
    void takingHandsOverTheWaitingRequestsInOrderAndMakesRoom() {
        queue.add("a", 1);
        queue.add("b", 2);
        assertThat(queue.takeAll()).extracting(StreamQueue.Pending::host).containsExactly("a", "b");
        assertThat(queue.add("c", 3)).isNotDone();
    }

    @Test
    void aRequestPutBackKeepsItsDeadlineAndTheBound() {
        queue.add("a", 1);
        StreamQueue.Pending first = queue.takeAll().getFirst();
        queue.add("b", 2);
        queue.putBack(first);
        assertThat(queue.takeAll()).extracting(StreamQueue.Pending::host).as("first in line again").containsExactly("a", "b");

        queue.add("c", 3);
        queue.add("d", 4);
        queue.putBack(first);
        assertThat(codeOf(first.result())).as("no room").isEqualTo(ErrorCode.QUEUE_FULL);

        StreamQueue roomy = new StreamQueue(10, DEADLINE, clock);
        roomy.add("e", 5);
        StreamQueue.Pending late = roomy.takeAll().getFirst();
        clock.advance(DEADLINE);
        roomy.putBack(late);
        assertThat(codeOf(late.result())).as("its deadline has come").isEqualTo(ErrorCode.REQUEST_TIMEOUT);
    }

    @Test
    void failingAllAnswersEveryWaitingRequest() {
        CompletableFuture<TunnelStream> waiting = queue.add("a", 1);
        queue.failAll(new TunnelException(ErrorCode.SERVER_UNAVAILABLE, "shut down"));
        assertThat(codeOf(waiting)).isEqualTo(ErrorCode.SERVER_UNAVAILABLE);
    }

    @Test
    void aQueueOfSizeZeroRefusesEverything() {
        assertThat(codeOf(new StreamQueue(0, DEADLINE, clock).add("a", 1))).isEqualTo(ErrorCode.QUEUE_FULL);
    }

    private static ErrorCode codeOf(CompletableFuture<TunnelStream> failed) {
        assertThat(failed).isCompletedExceptionally();
        try {
            failed.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return ((TunnelException) e.getCause()).code();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
