package online.cloudtolocalllm.tunnel.core;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to listeners and the log; a failing listener is logged and does not stop the others. */
final class EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final List<TunnelListener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;

    EventPublisher(List<TunnelListener> initial, Clock clock) {
        this.listeners.addAll(initial);
        this.clock = clock;
    }

    void add(TunnelListener listener) {
        listeners.add(listener);
    }

    void publish(TunnelEvent.Type type, String endpoint, @Nullable String user, @Nullable String service, String detail,
            @Nullable Throwable cause, int attempt, @Nullable Duration retryIn) {
        TunnelEvent event = new TunnelEvent(type, clock.instant(), endpoint, user, service, detail, cause, attempt, retryIn);
        if (type == TunnelEvent.Type.FAILED) {
            LOG.warn("{}", event);
        } else {
            LOG.info("{}", event);
        }
        for (TunnelListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed on {}", listener, event, e);
            }
        }
    }
}
