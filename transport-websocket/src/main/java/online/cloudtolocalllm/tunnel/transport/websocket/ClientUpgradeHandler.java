package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.TransportConfig;

/**
 * Sends the WebSocket upgrade when the connection is up and reads the answer: a 101 turns the channel into a
 * {@link WebSocketFrameConnection}; anything else fails the connect with the server's error code and message. A
 * failed TLS handshake fails it with a TLS code ({@link TlsFailures}).
 */
final class ClientUpgradeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final WebSocketClientHandshaker handshaker;
    private final TransportConfig config;
    private final CompletableFuture<FrameConnection> opened;
    private final String endpoint;

    ClientUpgradeHandler(WebSocketClientHandshaker handshaker, TransportConfig config, CompletableFuture<FrameConnection> opened,
            String endpoint) {
        this.handshaker = handshaker;
        this.config = config;
        this.opened = opened;
        this.endpoint = endpoint;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshaker.handshake(ctx.channel()).addListener(sent -> {
            if (!sent.isSuccess()) {
                fail(sent.cause(), "Cannot send the WebSocket upgrade");
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (!response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
            opened.completeExceptionally(UpgradeRefusal.of(response.status().code(), response.content().toString(StandardCharsets.UTF_8)));
            ctx.close();
            return;
        }
        // the frame handlers go in before the HTTP codec leaves, so bytes that came with the 101 reach them
        WebSocketFrameConnection connection = new WebSocketFrameConnection(ctx.channel(), config.idleTimeout(), true);
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(config.maxFrameSize()));
        pipeline.addLast("ws-keepalive", new IdleStateHandler(config.idleTimeout().toMillis(),
                config.pingInterval().toMillis(), 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("ws-tunnel", connection);
        try {
            handshaker.finishHandshake(ctx.channel(), response);
        } catch (RuntimeException e) {
            opened.completeExceptionally(new TunnelException(ErrorCode.WEBSOCKET_ERROR, "Bad WebSocket handshake: " + e.getMessage(), e));
            ctx.close();
            return;
        }
        pipeline.remove(this);
        opened.complete(connection);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            fail(handshake.cause(), "TLS handshake failed");
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        opened.completeExceptionally(new TunnelException(ErrorCode.SERVER_UNAVAILABLE, "The server closed the connection during the upgrade"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause, "WebSocket upgrade failed");
        ctx.close();
    }

    private void fail(Throwable cause, String what) {
        TunnelException tls = TlsFailures.classify(cause, endpoint);
        opened.completeExceptionally(tls != null ? tls
                : new TunnelException(ErrorCode.WEBSOCKET_ERROR, what + ": " + cause.getMessage(), cause));
    }
}
