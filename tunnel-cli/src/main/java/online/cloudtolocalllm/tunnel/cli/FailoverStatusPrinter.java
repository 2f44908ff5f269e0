package online.cloudtolocalllm.tunnel.cli;

import java.io.PrintWriter;
import java.util.Set;
import java.util.function.Supplier;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelListener;
import online.cloudtolocalllm.tunnel.failover.FailoverStatus;

/**
 * Prints a failover client's state as it changes, one {@code failover:} line each: state, live endpoint, the target
 * of a move, queued streams and every endpoint's health, then the event that changed it.
 */
final class FailoverStatusPrinter implements TunnelListener {
    private static final Set<TunnelEvent.Type> CHANGES = Set.of(TunnelEvent.Type.CONNECTED, TunnelEvent.Type.DISCONNECTED,
            TunnelEvent.Type.RECONNECTING, TunnelEvent.Type.DRAINING, TunnelEvent.Type.FAILOVER, TunnelEvent.Type.FAILBACK,
            TunnelEvent.Type.ENDPOINT_UP, TunnelEvent.Type.ENDPOINT_DOWN, TunnelEvent.Type.FAILED, TunnelEvent.Type.CLOSED);

    private final PrintWriter out;
    private final Supplier<FailoverStatus> status;

    FailoverStatusPrinter(PrintWriter out, Supplier<FailoverStatus> status) {
        this.out = out;
        this.status = status;
    }

    @Override
    public void onEvent(TunnelEvent event) {
        if (!CHANGES.contains(event.type())) {
            return;
        }
        synchronized (out) {
            out.println("failover: " + status.get() + " | " + event.type() + " " + event.endpoint()
                    + (event.retryIn() == null ? "" : " retry in " + event.retryIn().toMillis() + " ms")
                    + (event.detail().isEmpty() ? "" : " - " + event.detail()));
            out.flush();
        }
    }
}
