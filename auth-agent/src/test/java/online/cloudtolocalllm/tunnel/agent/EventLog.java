package online.cloudtolocalllm.tunnel.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelListener;

/** Records a client's or server's events and lets a test wait for one, with a deadline. */
final class EventLog implements TunnelListener {
    private final List<TunnelEvent> events = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(Predicate<TunnelEvent> matches, CompletableFuture<TunnelEvent> found) {
    }

    @Override
    public synchronized void onEvent(TunnelEvent event) {
        events.add(event);
        waiters.removeIf(w -> w.matches().test(event) && w.found().complete(event));
    }

    TunnelEvent await(Predicate<TunnelEvent> matches, String what) {
        CompletableFuture<TunnelEvent> found = new CompletableFuture<>();
        synchronized (this) {
            events.stream().filter(matches).findFirst().ifPresentOrElse(found::complete, () -> waiters.add(new Waiter(matches, found)));
        }
        try {
            return found.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("No event within 10 s: " + what + "; events were:\n" + all(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    synchronized List<TunnelEvent> all() {
        return List.copyOf(events);
    }

    static Predicate<TunnelEvent> type(TunnelEvent.Type type) {
        return e -> e.type() == type;
    }

    /** An AGENT_FORWARDING_FAILED event whose cause carries {@code code}. */
    static Predicate<TunnelEvent> agentFailure(ErrorCode code) {
        return e -> e.type() == TunnelEvent.Type.AGENT_FORWARDING_FAILED && e.cause() instanceof TunnelException t && t.code() == code;
    }
}
