package online.cloudtolocalllm.tunnel.api;

/**
 * The stable error vocabulary: Phase 1's TUNNEL_001 to TUNNEL_010, plus the codes Phase 2 adds.
 * Each code carries the HTTP status that ingress answers with.
 */
public enum ErrorCode {
    CONNECTION_REFUSED("TUNNEL_001", ErrorCategory.NETWORK, 503, "Local service unreachable"),
    AUTHENTICATION_FAILED("TUNNEL_002", ErrorCategory.AUTHENTICATION, 401, "Authentication failed"),
    TOKEN_EXPIRED("TUNNEL_003", ErrorCategory.AUTHENTICATION, 401, "Token expired"),
    SERVER_UNAVAILABLE("TUNNEL_004", ErrorCategory.SERVER, 503, "Server unavailable"),
    RATE_LIMITED("TUNNEL_005", ErrorCategory.SERVER, 429, "Rate limit exceeded"),
    QUEUE_FULL("TUNNEL_006", ErrorCategory.SERVER, 507, "Queue full"),
    REQUEST_TIMEOUT("TUNNEL_007", ErrorCategory.NETWORK, 408, "Request timeout"),
    SSH_ERROR("TUNNEL_008", ErrorCategory.PROTOCOL, 502, "SSH error"),
    WEBSOCKET_ERROR("TUNNEL_009", ErrorCategory.PROTOCOL, 502, "WebSocket error"),
    CONFIGURATION_ERROR("TUNNEL_010", ErrorCategory.CONFIGURATION, 400, "Configuration error"),
    /** Phase 2: the user has no tunnel, or the tunnel exposes no such service. */
    NOT_FOUND("TUNNEL_011", ErrorCategory.CONFIGURATION, 404, "Unknown tunnel or service"),
    /** Phase 2: authenticated, but not allowed to do this. */
    FORBIDDEN("TUNNEL_012", ErrorCategory.AUTHENTICATION, 403, "Forbidden"),
    /** Phase 2: agent forwarding is on, but no local SSH agent is named or found. */
    AGENT_NOT_CONFIGURED("TUNNEL_013", ErrorCategory.CONFIGURATION, 400, "No SSH agent configured"),
    /** Phase 2: the local SSH agent's socket or pipe does not exist, or nothing listens on it. */
    AGENT_SOCKET_MISSING("TUNNEL_014", ErrorCategory.CONFIGURATION, 503, "SSH agent socket missing"),
    /** Phase 2: the local SSH agent's socket or pipe may not be opened by this process. */
    AGENT_PERMISSION_DENIED("TUNNEL_015", ErrorCategory.CONFIGURATION, 403, "Permission denied on the SSH agent socket"),
    /** Phase 2: the agent, the forwarding policy or the user's confirmation refused an agent operation. */
    AGENT_REFUSED("TUNNEL_016", ErrorCategory.AUTHENTICATION, 403, "SSH agent refused the operation"),
    /** Phase 2: the server's policy does not allow agent forwarding. */
    AGENT_FORWARDING_FORBIDDEN("TUNNEL_017", ErrorCategory.AUTHENTICATION, 403, "Agent forwarding forbidden by the server"),
    /** Phase 2: the server's port takes TLS only, and a plaintext request came. */
    TLS_REQUIRED("TUNNEL_018", ErrorCategory.PROTOCOL, 426, "TLS required"),
    /** Phase 2: the TLS handshake with the server failed: an untrusted certificate, a host name mismatch, no common protocol. */
    TLS_HANDSHAKE_FAILED("TUNNEL_019", ErrorCategory.AUTHENTICATION, 502, "TLS handshake failed"),
    /** Phase 2: the server's certificate chain is trusted but has none of the pinned public keys. */
    TLS_PIN_MISMATCH("TUNNEL_020", ErrorCategory.AUTHENTICATION, 502, "TLS public-key pin mismatch"),
    /** Phase 2: the local service answered an ingress request with something that is not an HTTP/1.1 response. */
    BAD_SERVICE_RESPONSE("TUNNEL_021", ErrorCategory.PROTOCOL, 502, "Invalid response from the local service");

    private final String code;
    private final ErrorCategory category;
    private final int httpStatus;
    private final String title;

    ErrorCode(String code, ErrorCategory category, int httpStatus, String title) {
        this.code = code;
        this.category = category;
        this.httpStatus = httpStatus;
        this.title = title;
    }

    /** The wire code, such as {@code TUNNEL_001}. */
    public String code() {
        return code;
    }

    public ErrorCategory category() {
        return category;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** A short human title, such as "Local service unreachable". */
    public String title() {
        return title;
    }

    /** The JSON error body {@code {"code","category","message"}} that Phase 1 clients parse. */
    public String toJson(String message) {
        return "{\"code\":\"" + code + "\",\"category\":\"" + category.jsonName() + "\",\"message\":\""
                + Json.escape(message) + "\"}";
    }

    /** The code whose wire name is {@code code}, such as {@code TUNNEL_003}. */
    public static ErrorCode ofCode(String code) {
        for (ErrorCode value : values()) {
            if (value.code.equals(code)) {
                return value;
            }
        }
        throw new IllegalArgumentException("Unknown error code: " + code);
    }
}
