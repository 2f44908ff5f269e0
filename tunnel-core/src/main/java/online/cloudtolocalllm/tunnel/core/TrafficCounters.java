package online.cloudtolocalllm.tunnel.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import online.cloudtolocalllm.tunnel.api.TunnelMetrics;
import org.jspecify.annotations.Nullable;

/** Live counters of one connection, or of a whole endpoint when they are a parent; each update reaches the parent. */
final class TrafficCounters {
    private final @Nullable TrafficCounters parent;
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final LongAdder totalStreams = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<@Nullable Runnable> whenNoStreams = new AtomicReference<>();

    TrafficCounters(@Nullable TrafficCounters parent) {
        this.parent = parent;
    }

    void received(long bytes) {
        bytesIn.add(bytes);
        if (parent != null) {
            parent.received(bytes);
        }
    }

    void sent(long bytes) {
        bytesOut.add(bytes);
        if (parent != null) {
            parent.sent(bytes);
        }
    }

    void streamOpened() {
        openStreams.incrementAndGet();
        totalStreams.increment();
        if (parent != null) {
            parent.streamOpened();
        }
    }

    void streamClosed() {
        if (openStreams.decrementAndGet() == 0) {
            runWhenNoStreams();
        }
        if (parent != null) {
            parent.streamClosed();
        }
    }

    /** Runs {@code action} once, on the thread that closes the last open stream, or now if none is open. */
    void whenNoStreams(Runnable action) {
        whenNoStreams.set(action);
        if (openStreams.get() == 0) {
            runWhenNoStreams();
        }
    }

    private void runWhenNoStreams() {
        Runnable action = whenNoStreams.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    void error() {
        errors.increment();
        if (parent != null) {
            parent.error();
        }
    }

    int openStreams() {
        return openStreams.get();
    }

    TunnelMetrics snapshot() {
        return new TunnelMetrics(bytesIn.sum(), bytesOut.sum(), openStreams.get(), totalStreams.sum(), errors.sum());
    }
}
