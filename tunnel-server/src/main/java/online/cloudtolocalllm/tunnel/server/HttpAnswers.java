package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/**
 * Complete HTTP answers the host writes itself: JSON errors with the Phase 1 body (a 503 with Retry-After), and small
 * JSON documents.
 */
final class HttpAnswers {
    /** What a 503 (shutting down, a service away while its client reconnects) tells the caller to wait. */
    static final int RETRY_AFTER_SECONDS = 1;
    private HttpAnswers() {
    }

    /** Answers {@code failure} with its code's status and JSON body. */
    static void error(ChannelHandlerContext ctx, TunnelException failure, boolean keepAlive) {
        json(ctx, HttpResponseStatus.valueOf(failure.code().httpStatus()), failure.toJson(), keepAlive);
    }

    static void json(ChannelHandlerContext ctx, HttpResponseStatus status, String json, boolean keepAlive) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (status.code() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        } else if (status.code() == 426) {
            response.headers().set(HttpHeaderNames.UPGRADE, "TLS/1.3");
        }
        if (status.code() == 503) {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(done -> lingeringClose(ctx));
        }
    }

    /**
     * Ends the connection without losing the answer: closing a socket with unread request bytes makes the kernel
     * send a reset that can overtake the answer, so the write side is shut first and what the caller still sends is
     * read and dropped for a moment before the close.
     */
    static void lingeringClose(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof DuplexChannel duplex) || !duplex.isActive()) {
            ctx.close();
            return;
        }
        duplex.shutdownOutput().addListener(shut -> {
            duplex.config().setAutoRead(true);
            duplex.pipeline().addFirst("discard", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext discard, Object msg) {
                    io.netty.util.ReferenceCountUtil.release(msg);
                }
            });
            duplex.eventLoop().schedule(() -> duplex.close(), 2, TimeUnit.SECONDS);
        });
    }
}
