package online.cloudtolocalllm.tunnel.failover;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelStream;

/**
 * Forward streams asked for while no session is live: at most {@code capacity} wait, each until its deadline. A
 * full queue refuses at once (TUNNEL_006); a request still waiting at its deadline fails (TUNNEL_007). Nothing waits
 * without end.
 */
final class StreamQueue {
    /** A stream someone is waiting for. */
    record Pending(String host, int port, CompletableFuture<TunnelStream> result, Instant deadline) {
    }

    private final int capacity;
    private final Duration deadline;
    private final Clock clock;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

    StreamQueue(int capacity, Duration deadline, Clock clock) {
        this.capacity = capacity;
        this.deadline = deadline;
        this.clock = clock;
    }

    /** Queues a request for a stream to {@code host:port}, or refuses it at once if the queue is full. */
    synchronized CompletableFuture<TunnelStream> add(String host, int port) {
        if (waiting.size() >= capacity) {
            return CompletableFuture.failedFuture(full());
        }
        Pending pending = new Pending(host, port, new CompletableFuture<>(), clock.instant().plus(deadline));
        waiting.add(pending);
        return pending.result();
    }

    /**
     * Puts back a request whose stream could not be opened on a session that was going away, keeping its deadline;
     * fails it if that has come or the queue is full.
     */
    void putBack(Pending pending) {
        TunnelException refused = null;
        synchronized (this) {
            if (!clock.instant().isBefore(pending.deadline())) {
                refused = timedOut(pending);
            } else if (waiting.size() >= capacity) {
                refused = full();
            } else {
                waiting.addFirst(pending);
            }
        }
        if (refused != null) {
            pending.result().completeExceptionally(refused);
        }
    }

    /** Takes every request still waiting, in order. */
    synchronized List<Pending> takeAll() {
        List<Pending> all = new ArrayList<>(waiting);
        waiting.clear();
        return all;
    }

    /** Fails the requests whose deadline has come. */
    void expire() {
        Instant now = clock.instant();
        List<Pending> expired = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Pending> it = waiting.iterator(); it.hasNext(); ) {
                Pending pending = it.next();
                if (!now.isBefore(pending.deadline())) {
                    it.remove();
                    expired.add(pending);
                }
            }
        }
        expired.forEach(pending -> pending.result().completeExceptionally(timedOut(pending)));
    }

    private TunnelException full() {
        return new TunnelException(ErrorCode.QUEUE_FULL, capacity + " requests already wait for the tunnel to come back; try again later");
    }

    private TunnelException timedOut(Pending pending) {
        return new TunnelException(ErrorCode.REQUEST_TIMEOUT, "No tunnel came back within " + deadline.toMillis()
                + " ms for a stream to " + pending.host() + ":" + pending.port());
    }

    /** Fails every waiting request with {@code failure}. */
    void failAll(TunnelException failure) {
        takeAll().forEach(pending -> pending.result().completeExceptionally(failure));
    }

    synchronized int size() {
        return waiting.size();
    }
}
