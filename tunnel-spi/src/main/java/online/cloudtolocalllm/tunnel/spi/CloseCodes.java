package online.cloudtolocalllm.tunnel.spi;

/** WebSocket close codes (RFC 6455) as the tunnel uses them; Phase 1 clients know these. */
public final class CloseCodes {
    /** Normal closure. */
    public static final int NORMAL = 1000;
    /** Going away: server shutdown, or a missed pong. */
    public static final int GOING_AWAY = 1001;
    /** Protocol error: not SSH, a malformed frame. */
    public static final int PROTOCOL_ERROR = 1002;
    /** Unsupported data: a text frame where binary was expected. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Abnormal closure: the connection dropped without a close frame (never sent on the wire). */
    public static final int ABNORMAL = 1006;
    /** Policy violation: authentication failed. */
    public static final int POLICY_VIOLATION = 1008;
    /** Message too big: a frame over the size limit. */
    public static final int TOO_BIG = 1009;
    /** Internal error. */
    public static final int INTERNAL_ERROR = 1011;

    private CloseCodes() {
    }
}
