package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.Identity;
import online.cloudtolocalllm.tunnel.spi.TunnelAcceptor;
import online.cloudtolocalllm.tunnel.spi.UpgradeRequest;

/**
 * Turns an HTTP request on a Netty channel into a tunnel connection: checks the token (off the event loop, since a
 * JWKS lookup may block), answers a refusal with its HTTP status and JSON error body, or completes the WebSocket
 * handshake and hands the connection to the server's {@link TunnelAcceptor}.
 */
public final class NettyWebSocketUpgrade {

    /**
     * How upgraded connections behave.
     *
     * @param maxFrameSize the largest frame accepted; a larger one closes the connection with 1009
     * @param keepAliveInterval how often to ping a quiet peer
     * @param keepAliveTimeout how long a silent peer has before it is closed as dead
     * @param authExecutor where tokens are checked
     */
    public record Settings(int maxFrameSize, Duration keepAliveInterval, Duration keepAliveTimeout, Executor authExecutor) {
        public Settings {
            Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
            Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
            Objects.requireNonNull(authExecutor, "authExecutor");
        }
    }

    private NettyWebSocketUpgrade() {
    }

    /** Whether {@code request} asks for a WebSocket upgrade. */
    public static boolean isUpgrade(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /**
     * Upgrades {@code request} on {@code channel}, whose pipeline holds an HTTP server codec. Takes ownership of the
     * request. Completes with true once the tunnel connection is handed over, false if refused.
     */
    public static CompletableFuture<Boolean> upgrade(Channel channel, FullHttpRequest request, TunnelAcceptor acceptor,
            Settings settings) {
        if (!isUpgrade(request)) {
            request.release();
            respond(channel, new TunnelException(ErrorCode.WEBSOCKET_ERROR, "Expected a WebSocket upgrade request"),
                    HttpResponseStatus.BAD_REQUEST);
            return CompletableFuture.completedFuture(false);
        }
        UpgradeRequest upgrade = describe(channel, request);
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        CompletableFuture.supplyAsync(() -> acceptor.authenticate(upgrade), settings.authExecutor())
                .whenComplete((identity, failure) -> channel.eventLoop().execute(() -> {
                    try {
                        if (failure != null) {
                            TunnelException refusal = TunnelException.wrap(failure, ErrorCode.AUTHENTICATION_FAILED);
                            respond(channel, refusal, HttpResponseStatus.valueOf(refusal.code().httpStatus()));
                            result.complete(false);
                        } else {
                            handshake(channel, request, identity, acceptor, settings, result);
                        }
                    } finally {
                        request.release();
                    }
                }));
        return result;
    }

    private static void handshake(Channel channel, FullHttpRequest request, Identity identity, TunnelAcceptor acceptor,
            Settings settings, CompletableFuture<Boolean> result) {
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(settings.maxFrameSize())
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .build();
        String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, null, decoder).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
            result.complete(false);
            return;
        }
        // the handlers go in before the 101 goes out, so no frame can arrive ahead of them
        WebSocketFrameConnection connection = new WebSocketFrameConnection(channel, settings.keepAliveTimeout(), false);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(settings.maxFrameSize()));
        pipeline.addLast("ws-keepalive", new IdleStateHandler(settings.keepAliveTimeout().toMillis(),
                settings.keepAliveInterval().toMillis(), 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("ws-tunnel", connection);
        handshaker.handshake(channel, request).addListener(done -> {
            if (!done.isSuccess()) {
                channel.close();
                result.complete(false);
                return;
            }
            acceptor.accept(connection, identity);
            result.complete(true);
        });
    }

    /** The request as the SPI describes it. */
    static UpgradeRequest describe(Channel channel, FullHttpRequest request) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
        return new UpgradeRequest(query.path(), query.parameters(), headers, channel.remoteAddress());
    }

    /** Answers with {@code status} and the failure's JSON body, then closes. */
    public static void respond(Channel channel, TunnelException failure, HttpResponseStatus status) {
        byte[] body = failure.toJson().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (status.code() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
