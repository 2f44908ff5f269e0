package online.cloudtolocalllm.tunnel.transport.websocket;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/** Turns a refused WebSocket upgrade (an HTTP answer with a JSON error body) into a coded exception. */
final class UpgradeRefusal {
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"(TUNNEL_\\d{3})\"");
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private UpgradeRefusal() {
    }

    static TunnelException of(int status, String body) {
        Matcher code = CODE.matcher(body);
        Matcher message = MESSAGE.matcher(body);
        String detail = message.find() ? message.group(1).replace("\\\"", "\"") : "HTTP " + status;
        if (code.find()) {
            try {
                return new TunnelException(ErrorCode.ofCode(code.group(1)), detail);
            } catch (IllegalArgumentException unknown) {
                // fall through to the status
            }
        }
        ErrorCode fallback = switch (status) {
            case 401 -> ErrorCode.AUTHENTICATION_FAILED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 502, 503, 504 -> ErrorCode.SERVER_UNAVAILABLE;
            default -> ErrorCode.WEBSOCKET_ERROR;
        };
        return new TunnelException(fallback, "WebSocket upgrade refused with HTTP " + status + ": " + detail);
    }
}
