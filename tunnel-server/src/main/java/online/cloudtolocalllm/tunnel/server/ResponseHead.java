package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The head of a service's response as the caller gets it: the status line as HTTP/1.1 and the end-to-end header
 * lines as the service wrote them; {@link #finish} adds the caller's connection header and ends it.
 *
 * @param status the status code
 * @param framed whether the body ends by its length or chunks (or there is none), not with the stream
 * @param keepAlive whether the service keeps its connection open for another request
 * @param kept the bytes so far, owned by this head until {@link #finish} or {@link #release}
 */
record ResponseHead(int status, boolean framed, boolean keepAlive, ByteBuf kept) {
    private static final byte[] CHUNKED = "transfer-encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "connection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The whole head, its body to be {@code chunked} by the ingress, the caller's connection kept alive or not. */
    ByteBuf finish(boolean chunked, boolean keepCallerAlive) {
        if (chunked) {
            kept.writeBytes(CHUNKED);
        }
        return kept.writeBytes(keepCallerAlive ? KEEP_ALIVE : CLOSE);
    }

    void release() {
        kept.release();
    }
}
