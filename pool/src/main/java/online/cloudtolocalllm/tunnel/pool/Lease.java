package online.cloudtolocalllm.tunnel.pool;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/** The use of one pooled item; close it to give the item back, or {@link #retire} it if it broke. */
public final class Lease<T> implements AutoCloseable {
    private final Pool<T> pool;
    private final PooledItem<T> item;
    private final AtomicBoolean done = new AtomicBoolean();

    Lease(Pool<T> pool, PooledItem<T> item) {
        this.pool = pool;
        this.item = item;
    }

    public T get() {
        return item.value();
    }

    /** When the item was opened. */
    public Instant createdAt() {
        return item.createdAt();
    }

    /** Gives the item back for reuse. */
    @Override
    public void close() {
        if (done.compareAndSet(false, true)) {
            pool.giveBack(item);
        }
    }

    /** The item is broken: the pool destroys it instead of reusing it. */
    public void retire() {
        if (done.compareAndSet(false, true)) {
            pool.retireLeased(item);
        }
    }
}
