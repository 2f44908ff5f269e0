package online.cloudtolocalllm.tunnel.server;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What it takes to send an ingress request again once: it must be idempotent (GET, HEAD, PUT, DELETE, OPTIONS, TRACE,
 * or marked with an {@code Idempotency-Key} header) and its body small enough to keep, so a request whose tunnel
 * stream died before any response byte can be replayed on the next one.
 */
final class RequestReplay {
    /** The largest body kept for a replay. */
    static final int MAX_BODY = 64 * 1024;
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT,
            HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final List<HttpContent> kept = new ArrayList<>();
    private boolean possible;
    private int bytes;

    RequestReplay(HttpRequest request) {
        this.possible = isIdempotent(request);
    }

    static boolean isIdempotent(HttpRequest request) {
        return IDEMPOTENT.contains(request.method()) || request.headers().contains("Idempotency-Key");
    }

    /** Keeps a copy of a piece of the body as it is sent; gives up the replay past {@link #MAX_BODY}. */
    void keep(HttpContent content) {
        if (!possible) {
            return;
        }
        bytes += content.content().readableBytes();
        if (bytes > MAX_BODY) {
            release();
            return;
        }
        kept.add(content.retainedDuplicate());
    }

    boolean possible() {
        return possible;
    }

    /** The body sent so far, for the one replay; none after it. */
    List<HttpContent> take() {
        possible = false;
        List<HttpContent> body = List.copyOf(kept);
        kept.clear();
        return body;
    }

    void release() {
        possible = false;
        kept.forEach(HttpContent::release);
        kept.clear();
    }
}
