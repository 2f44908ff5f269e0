package online.cloudtolocalllm.tunnel.pool;

import java.util.concurrent.CompletableFuture;

/** Opens, checks and closes the things a {@link Pool} holds. */
public interface PoolFactory<T> {

    CompletableFuture<T> create();

    /** Whether {@code item} still works (a cheap probe: a keepalive, a health request). */
    default CompletableFuture<Boolean> isHealthy(T item) {
        return CompletableFuture.completedFuture(Boolean.TRUE);
    }

    void destroy(T item);
}
