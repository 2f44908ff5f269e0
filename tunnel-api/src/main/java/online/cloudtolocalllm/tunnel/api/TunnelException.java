package online.cloudtolocalllm.tunnel.api;

import org.jspecify.annotations.Nullable;

/** The one exception type of the tunnel: unchecked, and always carrying a stable {@link ErrorCode}. */
public class TunnelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public TunnelException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public TunnelException(ErrorCode code, String message, @Nullable Throwable cause) {
        super(code.code() + ": " + message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** The message without the code prefix. */
    public String detail() {
        String message = getMessage();
        String prefix = code.code() + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : String.valueOf(message);
    }

    /** The JSON error body for this failure. */
    public String toJson() {
        return code.toJson(detail());
    }

    /** {@code failure} itself if it is (or wraps) a TunnelException, else a new one with {@code fallback}. */
    public static TunnelException wrap(Throwable failure, ErrorCode fallback) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TunnelException tunnel) {
                return tunnel;
            }
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new TunnelException(fallback, message, failure);
    }
}
