package online.cloudtolocalllm.tunnel.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelListener;

/** Records the events a client or server publishes and lets a test wait for one, with a deadline. */
final class EventLog implements TunnelListener {
    private final List<TunnelEvent> events = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(Predicate<TunnelEvent> matches, CompletableFuture<TunnelEvent> found) {
    }

    @Override
    public synchronized void onEvent(TunnelEvent event) {
        events.add(event);
        waiters.removeIf(waiter -> waiter.matches().test(event) && waiter.found().complete(event));
    }

    /** A position in the log; events from here on are "after" it. */
    synchronized int mark() {
        return events.size();
    }

    /** Completes with the first event at or after {@code mark} that matches. */
    synchronized CompletableFuture<TunnelEvent> after(int mark, Predicate<TunnelEvent> matches) {
        for (int i = mark; i < events.size(); i++) {
            if (matches.test(events.get(i))) {
                return CompletableFuture.completedFuture(events.get(i));
            }
        }
        CompletableFuture<TunnelEvent> found = new CompletableFuture<>();
        waiters.add(new Waiter(matches, found));
        return found;
    }

    /** The first event at or after {@code mark} that matches, waiting up to {@code timeout} for it. */
    TunnelEvent await(int mark, Predicate<TunnelEvent> matches, Duration timeout, String what) {
        try {
            return after(mark, matches).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("No event within " + timeout + ": " + what + "; events were:\n" + describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** Like {@link #await(int, Predicate, Duration, String)} from the start of the log. */
    TunnelEvent await(Predicate<TunnelEvent> matches, Duration timeout, String what) {
        return await(0, matches, timeout, what);
    }

    synchronized List<TunnelEvent> all() {
        return List.copyOf(events);
    }

    synchronized List<TunnelEvent> since(int mark) {
        return List.copyOf(events.subList(mark, events.size()));
    }

    List<TunnelEvent> ofType(TunnelEvent.Type type) {
        return all().stream().filter(e -> e.type() == type).toList();
    }

    synchronized String describe() {
        StringBuilder text = new StringBuilder();
        events.forEach(e -> text.append("  ").append(e).append('\n'));
        return text.toString();
    }

    static Predicate<TunnelEvent> type(TunnelEvent.Type type) {
        return e -> e.type() == type;
    }

    static Predicate<TunnelEvent> service(TunnelEvent.Type type, String user, String service) {
        return e -> e.type() == type && user.equals(e.user()) && service.equals(e.service());
    }

    static Predicate<TunnelEvent> user(TunnelEvent.Type type, String user) {
        return e -> e.type() == type && user.equals(e.user());
    }
}
