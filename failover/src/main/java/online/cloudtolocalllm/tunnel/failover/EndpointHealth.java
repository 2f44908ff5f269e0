package online.cloudtolocalllm.tunnel.failover;

/** What a failover client knows of an endpoint's health. */
public enum EndpointHealth {
    /** Not checked yet: usable, so a client starts on its best endpoint at once. */
    UNKNOWN,
    /** The last check passed, or the tunnel is live on it. */
    UP,
    /** The last check failed, its connection was lost or refused, or it is draining. */
    DOWN
}
