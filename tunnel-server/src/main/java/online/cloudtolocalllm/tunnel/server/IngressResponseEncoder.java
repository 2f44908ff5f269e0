package online.cloudtolocalllm.tunnel.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Encodes the responses the host writes itself (errors, health, 100 Continue) and leaves the service's alone: those
 * are bytes already ({@link ResponseReader}), written through {@link #passThrough}, the context that skips this
 * encoder. The router tells it which request is being answered, so an answer to a HEAD request gets no body.
 */
final class IngressResponseEncoder extends HttpResponseEncoder {
    private boolean answeringHead;
    private @Nullable ChannelHandlerContext context;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    /** The request now being answered. */
    void answering(HttpMethod method) {
        answeringHead = HttpMethod.HEAD.equals(method);
    }

    /** Writes on this context go to the connection (through TLS, if any) without being encoded. */
    ChannelHandlerContext passThrough() {
        return Objects.requireNonNull(context, "not in a pipeline");
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return answeringHead || super.isContentAlwaysEmpty(msg);
    }
}
