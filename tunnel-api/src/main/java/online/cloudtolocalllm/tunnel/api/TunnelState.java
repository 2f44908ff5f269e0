package online.cloudtolocalllm.tunnel.api;

/** The state of a {@link TunnelClient}. */
public enum TunnelState {
    /** Created, not started. */
    IDLE,
    /** Dialling the server, authenticating, or registering services. */
    CONNECTING,
    /** Connected, with every exposed service registered. */
    CONNECTED,
    /** The connection was lost; waiting before the next attempt. */
    RECONNECTING,
    /** Given up: a failure that retrying cannot fix, or the attempts ran out. */
    FAILED,
    /** Shut down by the application. */
    CLOSED;

    /** {@link #FAILED} or {@link #CLOSED}: the client does nothing more and never leaves this state. */
    public boolean isFinal() {
        return this == FAILED || this == CLOSED;
    }
}
