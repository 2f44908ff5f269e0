package online.cloudtolocalllm.tunnel.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pool's lifecycle with a fake clock: reuse, warm-up, health checks, retirement by age and idle time, waiting. */
class PoolTest {
    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");

    /** A clock tests move by hand. */
    static final class TestClock extends Clock {
        volatile Instant now = START;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Items are numbers; some can be marked unhealthy; destroyed ones are remembered. */
    static final class Items implements PoolFactory<Integer> {
        final AtomicInteger next = new AtomicInteger();
        final Set<Integer> unhealthy = ConcurrentHashMap.newKeySet();
        final List<Integer> destroyed = new CopyOnWriteArrayList<>();
        /** When set, health checks answer with this future, whenever it completes, instead of at once. */
        volatile CompletableFuture<Boolean> lateAnswer;

        @Override
        public CompletableFuture<Integer> create() {
            return CompletableFuture.completedFuture(next.incrementAndGet());
        }

        @Override
        public CompletableFuture<Boolean> isHealthy(Integer item) {
            CompletableFuture<Boolean> late = lateAnswer;
            return late != null ? late : CompletableFuture.completedFuture(!unhealthy.contains(item));
        }

        @Override
        public void destroy(Integer item) {
            destroyed.add(item);
        }
    }

    private final TestClock clock = new TestClock();
    private final Items items = new Items();
    private final List<PoolEvent> events = new CopyOnWriteArrayList<>();

    private Pool<Integer> pool(int minIdle, int maxSize) {
        return Pool.builder("test", items).clock(clock).minIdle(minIdle).maxSize(maxSize)
                .acquireTimeout(Duration.ofMillis(300)).listener(events::add).build();
    }

    private static Lease<Integer> take(Pool<Integer> pool) throws Exception {
        return pool.acquire().get(5, TimeUnit.SECONDS);
    }

    @Test
    void reusesAReturnedItemAndCountsTheReuseRate() throws Exception {
        Pool<Integer> pool = pool(0, 4);
        Lease<Integer> first = take(pool);
        first.close();
        for (int i = 0; i < 9; i++) {
            try (Lease<Integer> again = take(pool)) {
                assertThat(again.get()).isEqualTo(first.get());
            }
        }
        PoolMetrics metrics = pool.metrics();
        assertThat(metrics.created()).isEqualTo(1);
        assertThat(metrics.reused()).isEqualTo(9);
        assertThat(metrics.reuseRate()).isEqualTo(0.9);
        assertThat(metrics.idle()).isEqualTo(1);
        assertThat(metrics.inUse()).isZero();
        assertThat(events).extracting(PoolEvent::type).contains(PoolEvent.Type.CREATED, PoolEvent.Type.REUSED);
    }

    @Test
    void warmsUpToTheMinimumAheadOfDemand() {
        Pool<Integer> pool = pool(3, 5);
        pool.maintain().join();
        assertThat(pool.metrics().idle()).isEqualTo(3);
        assertThat(pool.metrics().created()).isEqualTo(3);
        pool.maintain().join();
        assertThat(pool.metrics().created()).as("no more than the minimum").isEqualTo(3);
    }

    @Test
    void retiresItemsOlderThanAnHourWithoutWaitingAnHour() throws Exception {
        Pool<Integer> pool = pool(0, 4);
        Lease<Integer> lease = take(pool);
        int old = lease.get();
        lease.close();
        clock.advance(Duration.ofMinutes(4));
        take(pool).close();
        clock.advance(Duration.ofMinutes(57));
        try (Lease<Integer> fresh = take(pool)) {
            assertThat(fresh.get()).as("the 61-minute-old item is not handed out").isNotEqualTo(old);
        }
        assertDestroyed(old);
        assertThat(pool.metrics().retired()).containsEntry(RetireReason.AGE, 1L);
    }

    @Test
    void retiresAnItemThatComesBackPastItsAge() throws Exception {
        Pool<Integer> pool = pool(0, 4);
        Lease<Integer> lease = take(pool);
        clock.advance(Duration.ofMinutes(61));
        lease.close();
        assertThat(items.destroyed).containsExactly(lease.get());
        assertThat(pool.metrics().idle()).isZero();
    }

    @Test
    void retiresItemsIdleTooLong() throws Exception {
        Pool<Integer> pool = pool(0, 4);
        Lease<Integer> lease = take(pool);
        lease.close();
        clock.advance(Duration.ofMinutes(6));
        pool.maintain().join();
        assertDestroyed(lease.get());
        assertThat(pool.metrics().retired()).containsEntry(RetireReason.IDLE, 1L);
    }

    @Test
    void neverHandsOutAnItemThatFailsItsHealthCheck() throws Exception {
        Pool<Integer> pool = pool(0, 4);
        Lease<Integer> lease = take(pool);
        int sick = lease.get();
        lease.close();
        items.unhealthy.add(sick);
        try (Lease<Integer> next = take(pool)) {
            assertThat(next.get()).isNotEqualTo(sick);
        }
        assertThat(items.destroyed).contains(sick);
        assertThat(pool.metrics().healthCheckFailures()).isEqualTo(1);
        assertThat(pool.metrics().retired()).containsEntry(RetireReason.UNHEALTHY, 1L);
    }

    @Test
    void aHealthCheckThatAnswersLaterIsWaitedFor() throws Exception {
        Pool<Integer> pool = pool(0, 4);
        take(pool).close();
        CompletableFuture<Boolean> healthy = new CompletableFuture<>();
        items.lateAnswer = healthy;
        CompletableFuture<Lease<Integer>> first = pool.acquire();
        assertThat(first).as("not handed out before its check answers").isNotDone();
        healthy.complete(true);
        Lease<Integer> lease = first.get(5, TimeUnit.SECONDS);
        assertThat(lease.get()).isEqualTo(1);
        lease.close();

        CompletableFuture<Boolean> sick = new CompletableFuture<>();
        items.lateAnswer = sick;
        CompletableFuture<Lease<Integer>> second = pool.acquire();
        assertThat(second).isNotDone();
        items.lateAnswer = null;
        sick.complete(false);
        assertThat(second.get(5, TimeUnit.SECONDS).get()).as("a new item instead of the sick one").isEqualTo(2);
        assertThat(items.destroyed).containsExactly(1);
        assertThat(pool.metrics().retired()).containsEntry(RetireReason.UNHEALTHY, 1L);
    }

    @Test
    void backgroundChecksRetireSickIdleItems() throws Exception {
        Pool<Integer> pool = pool(2, 4);
        pool.maintain().join();
        items.unhealthy.add(1);
        pool.maintain().join();
        assertThat(items.destroyed).containsExactly(1);
        assertThat(pool.metrics().idle()).as("topped up again").isEqualTo(2);
    }

    @Test
    void waitsForAFreeItemAtTheMaximumAndTimesOut() throws Exception {
        Pool<Integer> pool = pool(0, 1);
        Lease<Integer> only = take(pool);
        CompletableFuture<Lease<Integer>> waiting = pool.acquire();
        assertThat(waiting).isNotDone();
        only.close();
        assertThat(waiting.get(5, TimeUnit.SECONDS).get()).isEqualTo(only.get());
        assertThat(pool.metrics().waits()).isEqualTo(1);

        CompletableFuture<Lease<Integer>> starved = pool.acquire();
        assertThatThrownBy(() -> starved.get(5, TimeUnit.SECONDS)).hasMessageContaining("free within");
    }

    @Test
    void aBrokenItemIsDestroyedAndItsPlaceFreed() throws Exception {
        Pool<Integer> pool = pool(0, 1);
        Lease<Integer> broken = take(pool);
        CompletableFuture<Lease<Integer>> waiting = pool.acquire();
        broken.retire();
        assertThat(waiting.get(5, TimeUnit.SECONDS).get()).isNotEqualTo(broken.get());
        assertThat(pool.metrics().retired()).containsEntry(RetireReason.BROKEN, 1L);
    }

    @Test
    void closingDestroysIdleItemsAndRefusesMore() throws Exception {
        Pool<Integer> pool = pool(2, 4);
        pool.maintain().join();
        pool.close();
        assertThat(items.destroyed).containsExactlyInAnyOrder(1, 2);
        assertThatThrownBy(() -> take(pool)).hasMessageContaining("closed");
    }

    @Test
    void buildersRefuseNonsense() {
        assertThatThrownBy(() -> Pool.builder("x", items).maxSize(0)).hasMessageContaining("maxSize");
        assertThatThrownBy(() -> Pool.builder("x", items).minIdle(5).maxSize(2).build()).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> Pool.builder("x", items).maxAge(Duration.ZERO)).hasMessageContaining("positive");
    }

    private void assertDestroyed(int item) {
        assertThat(items.destroyed).contains(item);
    }
}
