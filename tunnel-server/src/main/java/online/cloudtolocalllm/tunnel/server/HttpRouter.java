package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.pool.Lease;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.transport.websocket.NettyWebSocketUpgrade;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the HTTP requests of one connection: WebSocket upgrades at {@code /tunnel} (and Phase 1's {@code /ssh}) become
 * tunnel connections, {@code /healthz} answers, {@code /t/{user}/{service}/...} is ingress; anything else is a JSON 404.
 * One request at a time: requests pipelined behind an ingress exchange wait until it is done.
 */
final class HttpRouter extends ChannelInboundHandlerAdapter implements IngressExchange.Connections {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);
    static final Set<String> TUNNEL_PATHS = Set.of("/tunnel", "/ssh");

    private final HostState state;
    private final IngressResponseEncoder encoder;
    private final String scheme;
    private final Runnable firstRequestSeen;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private @Nullable IngressExchange exchange;
    private @Nullable ChannelHandlerContext context;
    private boolean discardingBody;
    private @Nullable String callerAddress;

    /**
     * Routes what the request decoder before it reads, on a connection that is {@code overTls} or not; its own answers
     * go out through {@code encoder}.
     */
    HttpRouter(HostState state, IngressResponseEncoder encoder, boolean overTls, Runnable firstRequestSeen) {
        this.state = state;
        this.encoder = encoder;
        this.scheme = overTls ? "https" : "http";
        this.firstRequestSeen = firstRequestSeen;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        IngressExchange current = exchange;
        if (current != null) {
            if (msg instanceof HttpContent content && !current.requestComplete()) {
                current.onRequestContent(content);
            } else {
                waiting.add(msg);
            }
            return;
        }
        if (msg instanceof HttpRequest request) {
            firstRequestSeen.run();
            discardingBody = false;
            route(ctx, request);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void route(ChannelHandlerContext ctx, HttpRequest request) {
        encoder.answering(request.method());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            answer(ctx, new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Malformed HTTP request"), false);
            return;
        }
        if (!state.accepting()) {
            answer(ctx, new TunnelException(ErrorCode.SERVER_UNAVAILABLE, "The server is shutting down"), false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (TUNNEL_PATHS.contains(path)) {
            upgrade(ctx, request);
            return;
        }
        if (path.equals("/healthz")) {
            discardingBody = true;
            HttpAnswers.json(ctx, HttpResponseStatus.OK, "{\"status\":\"ok\",\"sessions\":"
                    + state.context().server().sessions().size() + ",\"ingressPools\":" + state.upstreams().totals().toJson() + "}",
                    keepAlive);
            return;
        }
        Optional<IngressTarget> target = IngressTarget.parse(request.uri());
        if (target.isEmpty()) {
            answer(ctx, new TunnelException(ErrorCode.NOT_FOUND,
                    "No route for " + path + ": ingress is at /t/{user}/{service}/..., tunnels at /tunnel"), keepAlive);
            return;
        }
        context = ctx;
        IngressExchange started = new IngressExchange(ctx, encoder.passThrough(), state, request, target.get(), this);
        exchange = started;
        started.start();
    }

    private void answer(ChannelHandlerContext ctx, TunnelException failure, boolean keepAlive) {
        discardingBody = true;
        HttpAnswers.error(ctx, failure, keepAlive);
    }

    private void upgrade(ChannelHandlerContext ctx, HttpRequest request) {
        if (!NettyWebSocketUpgrade.isUpgrade(request)) {
            answer(ctx, new TunnelException(ErrorCode.WEBSOCKET_ERROR,
                    "This endpoint takes WebSocket upgrades (Upgrade: websocket)"), false);
            return;
        }
        FullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                Unpooled.EMPTY_BUFFER, request.headers(), new DefaultHttpHeaders());
        ctx.pipeline().remove(this);
        NettyWebSocketUpgrade.upgrade(ctx.channel(), full, state.context().acceptor(), state.upgradeSettings());
    }

    /** Read once per connection: formatting an address costs more than the rest of the header. */
    @Override
    public @Nullable String callerAddress() {
        if (callerAddress == null && context != null
                && context.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            callerAddress = remote.getAddress().getHostAddress();
        }
        return callerAddress;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public CompletableFuture<Lease<Upstream>> upstreamFor(IngressTarget target) {
        ChannelHandlerContext ctx = java.util.Objects.requireNonNull(context);
        return state.upstreams().acquire(ctx.channel().eventLoop(), ctx.alloc(), target);
    }

    /** The exchange finished and the connection stays open: serve what waited behind it. */
    @Override
    public void exchangeDone() {
        ChannelHandlerContext ctx = java.util.Objects.requireNonNull(context);
        exchange = null;
        ctx.channel().config().setAutoRead(true);
        for (Object msg; exchange == null && (msg = waiting.poll()) != null; ) {
            if (discardingBody && msg instanceof HttpContent) {
                ReferenceCountUtil.release(msg);
            } else {
                channelRead(ctx, msg);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && exchange != null) {
            exchange.onWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && exchange == null) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.abort();
            exchange = null;
        }
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
