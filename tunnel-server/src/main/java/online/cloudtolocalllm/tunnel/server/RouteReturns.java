package online.cloudtolocalllm.tunnel.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelServer;

/**
 * Services that went away with their session (not withdrawn by their client) in the last minute: their client is
 * probably reconnecting, so ingress waits a bounded time for them to be registered again instead of answering 404.
 */
final class RouteReturns {
    /** How long a lost service counts as coming back. */
    static final Duration REMEMBERED = Duration.ofMinutes(1);
    /** How long after a route's removal its session's end is surely announced. */
    static final Duration SETTLE = Duration.ofMillis(100);
    /** The detail of the event the server publishes when a service goes with its session. */
    private static final String SESSION_ENDED = "session ended";

    private final TunnelServer server;
    private final Duration wait;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<String, Instant> lost = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<Boolean>>> waiting = new ConcurrentHashMap<>();

    RouteReturns(TunnelServer server, Duration wait, Clock clock, ScheduledExecutorService timer) {
        this.server = server;
        this.wait = wait;
        this.clock = clock;
        this.timer = timer;
        server.addListener(this::onEvent);
    }

    private void onEvent(TunnelEvent event) {
        if (event.user() == null || event.service() == null) {
            return;
        }
        String key = key(event.user(), event.service());
        if (event.type() == TunnelEvent.Type.SERVICE_UNREGISTERED && event.detail().equals(SESSION_ENDED)) {
            lost.put(key, clock.instant());
        } else if (event.type() == TunnelEvent.Type.SERVICE_REGISTERED) {
            lost.remove(key);
            List<CompletableFuture<Boolean>> back = waiting.remove(key);
            if (back != null) {
                back.forEach(waiter -> waiter.complete(true));
            }
        }
    }

    /**
     * Whether ingress waits for {@code user}'s {@code service}: there is a wait, and the service went away with its
     * session within the last minute.
     */
    boolean expectsReturn(String user, String service) {
        return !wait.isZero() && recentlyLost(user, service);
    }

    private boolean recentlyLost(String user, String service) {
        Instant since = lost.get(key(user, service));
        if (since != null && since.plus(REMEMBERED).isBefore(clock.instant())) {
            lost.remove(key(user, service), since);
            return false;
        }
        return since != null;
    }

    /** The wait, as the answer to a request that waited in vain states it. */
    Duration waitLimit() {
        return wait;
    }

    /**
     * After a request failed to reach {@code user}'s {@code service}: completes with true when trying again makes
     * sense (the service is registered again), with false when it does not. A service that went away with its session
     * lately is waited for, up to the wait; one of a user who has a session is looked at again after {@link #SETTLE}
     * (or as soon as it is registered, if sooner), since a route goes (or its stream open fails) a moment before its
     * session's end is announced. Without a wait, false at once.
     */
    CompletableFuture<Boolean> awaitReturn(String user, String service) {
        if (expectsReturn(user, service)) {
            return waitForReturn(key(user, service));
        }
        if (wait.isZero() || !hasSession(user)) {
            return CompletableFuture.completedFuture(false);
        }
        // a registration within the settle time answers at once (a client that is just registering the service)
        String key = key(user, service);
        CompletableFuture<Boolean> registered = new CompletableFuture<>();
        waiting.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(registered);
        timer.schedule(() -> {
            if (registered.complete(false)) {
                List<CompletableFuture<Boolean>> others = waiting.get(key);
                if (others != null) {
                    others.remove(registered);
                }
            }
        }, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        return registered.thenCompose(back -> back ? CompletableFuture.completedFuture(true)
                : expectsReturn(user, service) ? waitForReturn(key)
                : CompletableFuture.completedFuture(isRegistered(user, service)));
    }

    private CompletableFuture<Boolean> waitForReturn(String key) {
        CompletableFuture<Boolean> back = new CompletableFuture<>();
        waiting.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(back);
        if (!lost.containsKey(key)) {
            back.complete(true);
        }
        timer.schedule(() -> {
            back.complete(false);
            List<CompletableFuture<Boolean>> others = waiting.get(key);
            if (others != null) {
                others.remove(back);
            }
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
        return back;
    }

    private boolean hasSession(String user) {
        return server.sessions().stream().anyMatch(s -> s.user().equals(user));
    }

    private boolean isRegistered(String user, String service) {
        return server.sessions().stream().anyMatch(s -> s.user().equals(user) && s.services().contains(service));
    }

    private static String key(String user, String service) {
        return user + "/" + service;
    }
}
