package online.cloudtolocalllm.tunnel.pool;

/** Why a pool let go of something. */
public enum RetireReason {
    /** Older than the pool's maximum age. */
    AGE,
    /** Idle longer than the pool's maximum idle time. */
    IDLE,
    /** It failed a health check. */
    UNHEALTHY,
    /** Its user found it broken and said so. */
    BROKEN,
    /** The pool closed. */
    CLOSED
}
