package online.cloudtolocalllm.tunnel.pool;

import java.time.Instant;

/** An item and its bookkeeping: when it was opened, when it was last given back, whether it was ever used. */
final class PooledItem<T> {
    private final T value;
    private final Instant createdAt;
    private Instant idleSince;
    private boolean used;

    PooledItem(T value, Instant createdAt) {
        this.value = value;
        this.createdAt = createdAt;
        this.idleSince = createdAt;
    }

    T value() {
        return value;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant idleSince() {
        return idleSince;
    }

    void idleFrom(Instant now) {
        idleSince = now;
    }

    /** Marks the item leased; true if it had been leased before. */
    boolean markUsed() {
        boolean before = used;
        used = true;
        return before;
    }
}
