package online.cloudtolocalllm.tunnel.cli;

import java.io.PrintWriter;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelListener;

/** Prints each tunnel event as one line (plus its cause's stack trace when verbose). */
final class EventPrinter implements TunnelListener {
    private final PrintWriter out;
    private final boolean verbose;

    EventPrinter(PrintWriter out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    @Override
    public void onEvent(TunnelEvent event) {
        synchronized (out) {
            out.println(event);
            if (verbose && event.cause() != null) {
                event.cause().printStackTrace(out);
            }
            out.flush();
        }
    }
}
