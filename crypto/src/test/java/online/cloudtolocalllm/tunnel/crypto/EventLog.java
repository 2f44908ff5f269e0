package online.cloudtolocalllm.tunnel.crypto;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelListener;
import online.cloudtolocalllm.tunnel.testing.Await;

/** Records the events a client or server publishes and lets a test wait for them, with a deadline. */
final class EventLog implements TunnelListener {
    private final List<TunnelEvent> events = new ArrayList<>();

    @Override
    public synchronized void onEvent(TunnelEvent event) {
        events.add(event);
    }

    synchronized List<TunnelEvent> all() {
        return List.copyOf(events);
    }

    List<TunnelEvent> ofType(TunnelEvent.Type type) {
        return all().stream().filter(e -> e.type() == type).toList();
    }

    /** The first event that matches, waiting up to {@code timeout} for it. */
    TunnelEvent await(Predicate<TunnelEvent> matches, Duration timeout, String what) {
        until(timeout, what, () -> all().stream().anyMatch(matches));
        return all().stream().filter(matches).findFirst().orElseThrow();
    }

    /** Waits until {@code count} events of {@code type} have been published. */
    List<TunnelEvent> awaitCount(TunnelEvent.Type type, int count, Duration timeout) {
        until(timeout, count + " " + type + " events", () -> ofType(type).size() >= count);
        return ofType(type);
    }

    private void until(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        try {
            Await.until(timeout, what, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; events were:\n" + this, e);
        }
    }

    static Predicate<TunnelEvent> keyExchange(String detailPart) {
        return e -> e.type() == TunnelEvent.Type.KEY_EXCHANGED && e.detail().contains(detailPart);
    }

    @Override
    public synchronized String toString() {
        StringBuilder text = new StringBuilder();
        events.forEach(e -> text.append("  ").append(e).append('\n'));
        return text.toString();
    }
}
