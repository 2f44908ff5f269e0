package online.cloudtolocalllm.tunnel.api;

/** Receives every {@link TunnelEvent}; called on an internal thread, so it must return quickly. */
@FunctionalInterface
public interface TunnelListener {
    void onEvent(TunnelEvent event);
}
