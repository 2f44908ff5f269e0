package online.cloudtolocalllm.tunnel.pool;

import java.time.Instant;

/**
 * An item and its bookkeeping: when it was opened, when it was last given back (in epoch milliseconds, which the pool
 * compares without allocating), whether it was ever used.
 */
final class PooledItem<T> {
    private final T value;
    private final Instant createdAt;
    private final long createdMillis;
    private long idleSinceMillis;
    private boolean used;

    PooledItem(T value, Instant createdAt) {
        this.value = value;
        this.createdAt = createdAt;
        this.createdMillis = createdAt.toEpochMilli();
        this.idleSinceMillis = createdMillis;
    }

    T value() {
        return value;
    }

    Instant createdAt() {
        return createdAt;
    }

    long createdMillis() {
        return createdMillis;
    }

    long idleSinceMillis() {
        return idleSinceMillis;
    }

    void idleFrom(long nowMillis) {
        idleSinceMillis = nowMillis;
    }

    /** Marks the item leased; true if it had been leased before. */
    boolean markUsed() {
        boolean before = used;
        used = true;
        return before;
    }
}
