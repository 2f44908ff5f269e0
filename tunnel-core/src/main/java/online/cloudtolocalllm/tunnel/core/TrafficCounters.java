package online.cloudtolocalllm.tunnel.core;

import java.util.concurrent.atomic.AtomicInteger;
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
        openStreams.decrementAndGet();
        if (parent != null) {
            parent.streamClosed();
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
