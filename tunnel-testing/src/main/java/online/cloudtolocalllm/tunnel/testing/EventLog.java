package online.cloudtolocalllm.tunnel.testing;

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
public final class EventLog implements TunnelListener {
    private final List<TunnelEvent> events = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    /** An empty log; register it as a listener. */
    public EventLog() {
    }

    private record Waiter(Predicate<TunnelEvent> matches, CompletableFuture<TunnelEvent> found) {
    }

    @Override
    public synchronized void onEvent(TunnelEvent event) {
        events.add(event);
        waiters.removeIf(waiter -> waiter.matches().test(event) && waiter.found().complete(event));
    }

    /** A position in the log; events from here on are "after" it. */
    public synchronized int mark() {
        return events.size();
    }

    /** Completes with the first event at or after {@code mark} that matches. */
    public synchronized CompletableFuture<TunnelEvent> after(int mark, Predicate<TunnelEvent> matches) {
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
    public TunnelEvent await(int mark, Predicate<TunnelEvent> matches, Duration timeout, String what) {
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
    public TunnelEvent await(Predicate<TunnelEvent> matches, Duration timeout, String what) {
        return await(0, matches, timeout, what);
    }

    public synchronized List<TunnelEvent> all() {
        return List.copyOf(events);
    }

    public synchronized List<TunnelEvent> since(int mark) {
        return List.copyOf(events.subList(mark, events.size()));
    }

    public List<TunnelEvent> ofType(TunnelEvent.Type type) {
        return all().stream().filter(e -> e.type() == type).toList();
    }

    /** Waits until {@code count} events of {@code type} have been published; returns them. */
    public List<TunnelEvent> awaitCount(TunnelEvent.Type type, int count, Duration timeout) {
        try {
            Await.until(timeout, count + " " + type + " events", () -> ofType(type).size() >= count);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; events were:\n" + describe(), e);
        }
        return ofType(type);
    }

    public synchronized String describe() {
        StringBuilder text = new StringBuilder();
        events.forEach(e -> text.append("  ").append(e).append('\n'));
        return text.toString();
    }

    public static Predicate<TunnelEvent> type(TunnelEvent.Type type) {
        return e -> e.type() == type;
    }

    public static Predicate<TunnelEvent> service(TunnelEvent.Type type, String user, String service) {
        return e -> e.type() == type && user.equals(e.user()) && service.equals(e.service());
    }

    /** An event of {@code type} whose detail contains {@code part}. */
    public static Predicate<TunnelEvent> detail(TunnelEvent.Type type, String part) {
        return e -> e.type() == type && e.detail().contains(part);
    }

    public static Predicate<TunnelEvent> user(TunnelEvent.Type type, String user) {
        return e -> e.type() == type && user.equals(e.user());
    }
}
