package online.cloudtolocalllm.tunnel.pool;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something a pool did: created, reused or retired an item, or failed.
 *
 * @param pool the pool's name
 * @param type what happened
 * @param time when
 * @param reason why an item was retired
 * @param failure the failure behind an error
 */
public record PoolEvent(String pool, Type type, Instant time, @Nullable RetireReason reason, @Nullable Throwable failure) {

    /** The kinds of pool event. */
    public enum Type {
        CREATED,
        REUSED,
        RETIRED,
        ERROR
    }

    @Override
    public String toString() {
        return "pool " + pool + " " + type + (reason == null ? "" : " (" + reason + ")")
                + (failure == null ? "" : ": " + failure.getMessage());
    }
}
