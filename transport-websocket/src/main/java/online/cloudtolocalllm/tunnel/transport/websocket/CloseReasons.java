package online.cloudtolocalllm.tunnel.transport.websocket;

import java.nio.charset.StandardCharsets;

/** WebSocket close reasons are limited to 123 bytes of UTF-8. */
final class CloseReasons {
    private static final int MAX_BYTES = 123;

    private CloseReasons() {
    }

    static String truncate(String reason) {
        if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return reason;
        }
        String cut = reason;
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }
}
