package online.cloudtolocalllm.tunnel.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes conversations that stayed idle (nothing in flight, nothing asked) for the idle timeout, by the injected
 * clock. It checks at most once a second, from a daemon thread started with the first conversation.
 */
final class IdleMonitor implements AutoCloseable {
    /** The requirement's timeout: five minutes. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(IdleMonitor.class);

    private final Clock clock;
    private final Duration timeout;
    private final Set<GuardedConnection> live = ConcurrentHashMap.newKeySet();
    private @Nullable ScheduledExecutorService checker;
    private boolean closed;

    IdleMonitor(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    void track(GuardedConnection connection) {
        live.add(connection);
        connection.closeFuture().whenComplete((done, failure) -> live.remove(connection));
        startChecking();
    }

    private synchronized void startChecking() {
        if (checker != null || closed) {
            return;
        }
        long period = Math.clamp(timeout.toMillis() / 4, 10, 1000);
        checker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("agent-idle").factory());
        checker.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** Closes every conversation idle for the timeout; returns how many. */
    int closeIdle() {
        java.time.Instant cutoff = clock.instant().minus(timeout);
        int count = 0;
        for (GuardedConnection connection : live) {
            if (connection.idleSince(cutoff)) {
                LOG.info("Closing the agent conversation of '{}' with {}: idle for {}", connection.user(), connection.peer(), timeout);
                live.remove(connection);
                connection.close();
                count++;
            }
        }
        return count;
    }

    /** The conversations open now. */
    int live() {
        return live.size();
    }

    /** Stops checking and closes every conversation. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (checker != null) {
                checker.shutdownNow();
            }
        }
        live.forEach(GuardedConnection::close);
        live.clear();
    }
}
