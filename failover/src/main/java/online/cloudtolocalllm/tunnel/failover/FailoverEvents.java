package online.cloudtolocalllm.tunnel.failover;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers a failover client's events to its listeners and the log; a failing listener does not stop the others. */
final class FailoverEvents {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverTunnelClient.class);

    private final List<TunnelListener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private volatile @Nullable String user;

    FailoverEvents(List<TunnelListener> initial, Clock clock, @Nullable String user) {
        this.listeners.addAll(initial);
        this.clock = clock;
        this.user = user;
    }

    void add(TunnelListener listener) {
        listeners.add(listener);
    }

    void publish(TunnelEvent.Type type, String endpoint, String detail, @Nullable Throwable cause, @Nullable Duration retryIn) {
        TunnelEvent event = new TunnelEvent(type, clock.instant(), endpoint, user, null, detail, cause, 0, retryIn);
        switch (type) {
            case FAILED, ENDPOINT_DOWN -> LOG.warn("{}", event);
            case FAILOVER, FAILBACK, ENDPOINT_UP, DRAINING -> LOG.info("{}", event);
            default -> LOG.debug("{}", event);
        }
        deliver(event);
    }

    /** Passes on an event of an endpoint's connection as it is. */
    void forward(TunnelEvent event) {
        if (event.user() != null) {
            user = event.user();
        }
        deliver(event);
    }

    private void deliver(TunnelEvent event) {
        for (TunnelListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed on {}", listener, event, e);
            }
        }
    }
}
