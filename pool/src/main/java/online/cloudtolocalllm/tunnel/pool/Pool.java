package online.cloudtolocalllm.tunnel.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of reusable items. {@link #acquire()} hands out a healthy idle item if there is one (checking it first),
 * opens a new one while under the maximum size, or waits (bounded) for one to come back. Items older than the
 * maximum age or idle longer than the maximum idle time are retired; {@link #maintain()} (run on the scheduler, or
 * called by a test with a fake clock) also checks idle items' health and warms the pool up to its minimum.
 */
public final class Pool<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);

    private final String name;
    private final PoolFactory<T> factory;
    private final int minIdle;
    private final int maxSize;
    private final long maxAgeMillis;
    private final long maxIdleMillis;
    private final Duration acquireTimeout;
    private final boolean checkBeforeUse;
    private final Clock clock;
    private final List<Consumer<PoolEvent>> listeners;
    private final @Nullable ScheduledFuture<?> maintenance;

    private final Object lock = new Object();
    private final ArrayDeque<PooledItem<T>> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter<T>> waiters = new ArrayDeque<>();
    private final EnumMap<RetireReason, Long> retired = new EnumMap<>(RetireReason.class);
    private int inUse;
    private int opening;
    private long created;
    private long reused;
    private long healthCheckFailures;
    private long waits;
    private Duration totalWait = Duration.ZERO;
    private Duration maxWait = Duration.ZERO;
    private boolean closed;

    private record Waiter<T>(CompletableFuture<Lease<T>> lease, Instant since) {
    }

    private Pool(Builder<T> b) {
        this.name = b.name;
        this.factory = b.factory;
        this.minIdle = b.minIdle;
        this.maxSize = b.maxSize;
        this.maxAgeMillis = millis(b.maxAge);
        this.maxIdleMillis = millis(b.maxIdle);
        this.acquireTimeout = b.acquireTimeout;
        this.checkBeforeUse = b.checkBeforeUse;
        this.clock = b.clock;
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
        this.maintenance = b.scheduler == null ? null : b.scheduler.scheduleWithFixedDelay(this::maintainQuietly,
                b.maintenanceInterval.toMillis(), b.maintenanceInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static <T> Builder<T> builder(String name, PoolFactory<T> factory) {
        return new Builder<>(name, factory);
    }

    /** {@code limit} in milliseconds, a limit too long for a {@code long} being no limit. */
    private static long millis(Duration limit) {
        return limit.compareTo(Duration.ofMillis(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : limit.toMillis();
    }

    public String name() {
        return name;
    }

    /** A lease on a healthy item; fails if none could be had within the acquire timeout. */
    public CompletableFuture<Lease<T>> acquire() {
        PooledItem<T> candidate;
        boolean open = false;
        CompletableFuture<Lease<T>> waiting = null;
        List<PooledItem<T>> expired = new ArrayList<>();
        List<RetireReason> reasons = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("Pool " + name + " is closed"));
            }
            candidate = takeIdle(expired, reasons);
            if (candidate == null) {
                if (size() + opening < maxSize) {
                    opening++;
                    open = true;
                } else {
                    waiting = new CompletableFuture<>();
                    waiters.add(new Waiter<>(waiting, clock.instant()));
                    waits++;
                }
            }
        }
        for (int i = 0; i < expired.size(); i++) {
            destroy(expired.get(i), reasons.get(i));
        }
        if (candidate != null) {
            return lend(candidate);
        }
        if (open) {
            return openNew().thenApply(this::leaseNew);
        }
        return waiting.orTimeout(acquireTimeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(failure -> {
            if (failure instanceof TimeoutException) {
                publish(PoolEvent.Type.ERROR, null, failure);
                return CompletableFuture.failedFuture(new TimeoutException(
                        "No item of pool " + name + " free within " + acquireTimeout.toMillis() + " ms"));
            }
            return CompletableFuture.failedFuture(failure);
        });
    }

    /** An idle item young enough to use; the expired ones it meets go to {@code expired}. Call with the lock held. */
    private @Nullable PooledItem<T> takeIdle(List<PooledItem<T>> expired, List<RetireReason> reasons) {
        long now = clock.millis();
        for (PooledItem<T> item; (item = idle.pollLast()) != null; ) {
            RetireReason reason = expiry(item, now);
            if (reason == null) {
                inUse++;
                return item;
            }
            expired.add(item);
            reasons.add(reason);
        }
        return null;
    }

    private @Nullable RetireReason expiry(PooledItem<T> item, long now) {
        if (tooOld(item, now)) {
            return RetireReason.AGE;
        }
        if (now - item.idleSinceMillis() >= maxIdleMillis) {
            return RetireReason.IDLE;
        }
        return null;
    }

    private boolean tooOld(PooledItem<T> item, long now) {
        return now - item.createdMillis() >= maxAgeMillis;
    }

    /** Checks {@code item} if configured to, then leases it; an unhealthy one is retired and another acquired. */
    private CompletableFuture<Lease<T>> lend(PooledItem<T> item) {
        if (!checkBeforeUse) {
            return lendIf(true, item);
        }
        CompletableFuture<Boolean> healthy = check(item);
        // a check that answered at once is not chained: the usual case, once per request in the ingress
        return healthy.isDone() ? lendIf(healthy.join(), item) : healthy.thenCompose(ok -> lendIf(ok, item));
    }

    private CompletableFuture<Lease<T>> lendIf(boolean healthy, PooledItem<T> item) {
        if (!healthy) {
            synchronized (lock) {
                inUse--;
            }
            destroy(item, RetireReason.UNHEALTHY);
            return acquire();
        }
        item.markUsed();
        synchronized (lock) {
            reused++;
        }
        publish(PoolEvent.Type.REUSED, null, null);
        return CompletableFuture.completedFuture(new Lease<>(this, item));
    }

    private CompletableFuture<PooledItem<T>> openNew() {
        CompletableFuture<T> opened;
        try {
            opened = factory.create();
        } catch (RuntimeException e) {
            opened = CompletableFuture.failedFuture(e);
        }
        return opened.handle((value, failure) -> {
            synchronized (lock) {
                opening--;
                if (failure == null) {
                    created++;
                }
            }
            if (failure != null) {
                publish(PoolEvent.Type.ERROR, null, failure);
                wakeAWaiter();
                throw new java.util.concurrent.CompletionException(failure);
            }
            publish(PoolEvent.Type.CREATED, null, null);
            return new PooledItem<>(value, clock.instant());
        });
    }

    private Lease<T> leaseNew(PooledItem<T> item) {
        item.markUsed();
        synchronized (lock) {
            inUse++;
        }
        return new Lease<>(this, item);
    }

    private CompletableFuture<Boolean> check(PooledItem<T> item) {
        CompletableFuture<Boolean> result;
        try {
            result = factory.isHealthy(item.value());
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((ok, failure) -> {
            boolean healthy = failure == null && Boolean.TRUE.equals(ok);
            if (!healthy) {
                synchronized (lock) {
                    healthCheckFailures++;
                }
            }
            return healthy;
        });
    }

    /** An item came back from a lease. */
    void giveBack(PooledItem<T> item) {
        long now = clock.millis();
        Waiter<T> waiter = null;
        RetireReason expired = null;
        synchronized (lock) {
            inUse--;
            if (closed) {
                expired = RetireReason.CLOSED;
            } else if (tooOld(item, now)) {
                expired = RetireReason.AGE;
            } else {
                waiter = waiters.poll();
                if (waiter != null) {
                    inUse++;
                    reused++;
                    recordWait(waiter, clock.instant());
                } else {
                    item.idleFrom(now);
                    idle.addLast(item);
                }
            }
        }
        if (expired != null) {
            destroy(item, expired);
            wakeAWaiter();
        } else if (waiter != null) {
            publish(PoolEvent.Type.REUSED, null, null);
            if (!waiter.lease().complete(new Lease<>(this, item))) {
                giveBack(item);
            }
        }
    }

    /** A leased item broke. */
    void retireLeased(PooledItem<T> item) {
        synchronized (lock) {
            inUse--;
        }
        destroy(item, RetireReason.BROKEN);
        wakeAWaiter();
    }

    /** Capacity freed up: a waiter may now open a new item. */
    private void wakeAWaiter() {
        Waiter<T> waiter;
        synchronized (lock) {
            if (closed || size() + opening >= maxSize) {
                return;
            }
            waiter = waiters.poll();
            if (waiter == null) {
                return;
            }
            opening++;
            recordWait(waiter, clock.instant());
        }
        openNew().thenApply(this::leaseNew).whenComplete((lease, failure) -> {
            if (failure != null) {
                waiter.lease().completeExceptionally(failure);
            } else if (!waiter.lease().complete(lease)) {
                lease.close();
            }
        });
    }

    private void recordWait(Waiter<T> waiter, Instant now) {
        Duration waited = Duration.between(waiter.since(), now);
        totalWait = totalWait.plus(waited);
        if (waited.compareTo(maxWait) > 0) {
            maxWait = waited;
        }
    }

    private void destroy(PooledItem<T> item, RetireReason reason) {
        synchronized (lock) {
            retired.merge(reason, 1L, Long::sum);
        }
        try {
            factory.destroy(item.value());
        } catch (RuntimeException e) {
            LOG.debug("Pool {} failed to close an item: {}", name, e.toString());
        }
        publish(PoolEvent.Type.RETIRED, reason, null);
    }

    /**
     * Retires idle items past their age or idle limit, checks the health of the rest, and opens items until the
     * minimum idle count is reached. Completes when done.
     */
    public CompletableFuture<Void> maintain() {
        long now = clock.millis();
        List<PooledItem<T>> toCheck = new ArrayList<>();
        List<PooledItem<T>> expired = new ArrayList<>();
        List<RetireReason> reasons = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            for (PooledItem<T> item : idle) {
                RetireReason reason = expiry(item, now);
                if (reason != null) {
                    expired.add(item);
                    reasons.add(reason);
                } else {
                    toCheck.add(item);
                }
            }
            idle.clear();
            inUse += toCheck.size();
        }
        for (int i = 0; i < expired.size(); i++) {
            destroy(expired.get(i), reasons.get(i));
        }
        List<CompletableFuture<?>> checks = new ArrayList<>();
        for (PooledItem<T> item : toCheck) {
            checks.add(check(item).thenAccept(ok -> {
                synchronized (lock) {
                    inUse--;
                    if (ok && !closed) {
                        idle.addLast(item);
                        return;
                    }
                }
                destroy(item, ok ? RetireReason.CLOSED : RetireReason.UNHEALTHY);
            }));
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenCompose(ignored -> warmUp());
    }

    /** Opens items until the minimum number is idle, within the maximum size. */
    private CompletableFuture<Void> warmUp() {
        int toOpen;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            toOpen = Math.max(0, Math.min(minIdle - idle.size() - opening, maxSize - size() - opening));
            opening += toOpen;
        }
        List<CompletableFuture<?>> opened = new ArrayList<>();
        for (int i = 0; i < toOpen; i++) {
            opened.add(openNew().thenAccept(item -> {
                boolean keep;
                synchronized (lock) {
                    keep = !closed;
                    if (keep) {
                        idle.addLast(item);
                    }
                }
                if (!keep) {
                    destroy(item, RetireReason.CLOSED);
                }
            }).exceptionally(failure -> null));
        }
        return CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new));
    }

    private void maintainQuietly() {
        try {
            maintain().join();
        } catch (RuntimeException e) {
            LOG.warn("Pool {} maintenance failed: {}", name, e.toString());
        }
    }

    private int size() {
        return idle.size() + inUse;
    }

    public PoolMetrics metrics() {
        synchronized (lock) {
            Map<RetireReason, Long> byReason = new EnumMap<>(RetireReason.class);
            byReason.putAll(retired);
            return new PoolMetrics(size(), idle.size(), inUse, created, reused, byReason, healthCheckFailures, waits,
                    totalWait, maxWait);
        }
    }

    public void addListener(Consumer<PoolEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Tells the listeners and the log; builds no event (nor reads the clock) for a lease nobody hears of. */
    private void publish(PoolEvent.Type type, @Nullable RetireReason reason, @Nullable Throwable failure) {
        boolean logged = type == PoolEvent.Type.ERROR ? LOG.isInfoEnabled() : LOG.isDebugEnabled();
        if (!logged && listeners.isEmpty()) {
            return;
        }
        PoolEvent event = new PoolEvent(name, type, clock.instant(), reason, failure);
        if (type == PoolEvent.Type.ERROR) {
            LOG.info("{}", event);
        } else {
            LOG.debug("{}", event);
        }
        for (Consumer<PoolEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("Pool listener failed on {}", event, e);
            }
        }
    }

    /** Closes every idle item and fails waiters; items in use are closed when they come back. */
    @Override
    public void close() {
        List<PooledItem<T>> toClose;
        List<Waiter<T>> waiting;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
            waiting = new ArrayList<>(waiters);
            waiters.clear();
        }
        if (maintenance != null) {
            maintenance.cancel(false);
        }
        waiting.forEach(w -> w.lease().completeExceptionally(new IllegalStateException("Pool " + name + " closed")));
        toClose.forEach(item -> destroy(item, RetireReason.CLOSED));
    }

    /** Builds a {@link Pool}; each setter checks its value at once. */
    public static final class Builder<T> {
        private final String name;
        private final PoolFactory<T> factory;
        private int minIdle;
        private int maxSize = 8;
        private Duration maxAge = Duration.ofHours(1);
        private Duration maxIdle = Duration.ofMinutes(5);
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private Duration maintenanceInterval = Duration.ofSeconds(30);
        private boolean checkBeforeUse = true;
        private Clock clock = Clock.systemUTC();
        private @Nullable ScheduledExecutorService scheduler;
        private final List<Consumer<PoolEvent>> listeners = new ArrayList<>();

        private Builder(String name, PoolFactory<T> factory) {
            this.name = Objects.requireNonNull(name, "name");
            this.factory = Objects.requireNonNull(factory, "factory");
        }

        /** Items kept open and idle ahead of demand (warm-up); 0 by default. */
        public Builder<T> minIdle(int minIdle) {
            if (minIdle < 0) {
                throw new IllegalArgumentException("minIdle must not be negative, was " + minIdle);
            }
            this.minIdle = minIdle;
            return this;
        }

        public Builder<T> maxSize(int maxSize) {
            if (maxSize < 1) {
                throw new IllegalArgumentException("maxSize must be positive, was " + maxSize);
            }
            this.maxSize = maxSize;
            return this;
        }

        /** Items older than this are retired (1 hour by default). */
        public Builder<T> maxAge(Duration maxAge) {
            this.maxAge = positive("maxAge", maxAge);
            return this;
        }

        /** Items idle longer than this are retired (5 minutes by default). */
        public Builder<T> maxIdle(Duration maxIdle) {
            this.maxIdle = positive("maxIdle", maxIdle);
            return this;
        }

        public Builder<T> acquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = positive("acquireTimeout", acquireTimeout);
            return this;
        }

        /** Whether an idle item is health-checked before it is handed out (true by default). */
        public Builder<T> checkBeforeUse(boolean checkBeforeUse) {
            this.checkBeforeUse = checkBeforeUse;
            return this;
        }

        public Builder<T> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Runs {@link Pool#maintain()} on {@code scheduler} every {@code interval}. */
        public Builder<T> maintenance(ScheduledExecutorService scheduler, Duration interval) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            this.maintenanceInterval = positive("maintenance interval", interval);
            return this;
        }

        public Builder<T> listener(Consumer<PoolEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Pool<T> build() {
            if (minIdle > maxSize) {
                throw new IllegalArgumentException("minIdle " + minIdle + " exceeds maxSize " + maxSize);
            }
            return new Pool<>(this);
        }

        private static Duration positive(String what, Duration value) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + value);
            }
            return value;
        }
    }
}
