package online.cloudtolocalllm.tunnel.api;

/** The category of an {@link ErrorCode}, as Phase 1 clients and dashboards know it. */
public enum ErrorCategory {
    NETWORK,
    AUTHENTICATION,
    CONFIGURATION,
    SERVER,
    PROTOCOL,
    UNKNOWN;

    /** The lower-case name used in JSON error bodies. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
