package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.pool.Lease;
import online.cloudtolocalllm.tunnel.spi.Identity;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingress request and its response, proxied over an {@link Upstream} to the user's local service. The response
 * is relayed piece by piece as it arrives and flushed at once, so chunked, SSE and NDJSON streams reach the caller
 * as they are produced; window goes back to the tunnel only as the caller's connection takes the bytes. Everything
 * here runs on the ingress connection's event loop.
 */
final class IngressExchange {
    private static final Logger LOG = LoggerFactory.getLogger(IngressExchange.class);
    /** How many times a request tries to reach its service while the service's client is coming back. */
    private static final int MAX_ATTEMPTS = 3;
    /** Headers that describe one connection, not the message (RFC 9110 section 7.6.1). */
    static final List<AsciiString> HOP_BY_HOP = Stream.of("connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "te", "trailer", "upgrade", "expect").map(AsciiString::cached).toList();
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    private static final AsciiString X_FORWARDED_PREFIX = AsciiString.cached("X-Forwarded-Prefix");
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** The caller's headers the service does not get as they are: the connection's, and those the ingress sets. */
    private static final List<AsciiString> REPLACED = Stream.concat(HOP_BY_HOP.stream(),
            Stream.of(HttpHeaderNames.HOST, X_FORWARDED_FOR, X_FORWARDED_PROTO, X_FORWARDED_PREFIX)).toList();

    /** Where an exchange gets its upstream connection and reports that it is done. */
    interface Connections {
        /** A lease on an upstream connection to {@code target}'s service. */
        CompletableFuture<Lease<Upstream>> upstreamFor(IngressTarget target);

        /** The exchange finished and the caller's connection stays open. */
        void exchangeDone();

        /** The caller's IP address as text, or null if its connection has none (a local channel). */
        @Nullable String callerAddress();

        /** {@code https} if the caller's connection is over TLS, else {@code http}. */
        String scheme();
    }

    private final ChannelHandlerContext ctx;
    private final ChannelHandlerContext passThrough;
    private final HostState state;
    private final HttpRequest request;
    private final IngressTarget target;
    private final Connections connections;
    // most exchanges use neither: a body that arrives before the upstream, a caller slower than the tunnel
    private final ArrayDeque<HttpContent> bodyBeforeUpstream = new ArrayDeque<>(1);
    private final ArrayDeque<Runnable> windowToRelease = new ArrayDeque<>(1);
    private final boolean isPublic;
    private final RequestReplay replay;
    private boolean keepAlive;
    private @Nullable Lease<Upstream> lease;
    private @Nullable Upstream upstream;
    private boolean requestComplete;
    private boolean responseStarted;
    private boolean chunkingResponse;
    private boolean unflushed;
    private boolean finished;

    /** {@code passThrough} writes the service's bytes to the caller without encoding them. */
    IngressExchange(ChannelHandlerContext ctx, ChannelHandlerContext passThrough, HostState state, HttpRequest request,
            IngressTarget target, Connections connections) {
        this.ctx = ctx;
        this.passThrough = passThrough;
        this.state = state;
        this.request = request;
        this.target = target;
        this.connections = connections;
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.isPublic = state.context().config().isPublic(target.user(), target.service());
        this.replay = new RequestReplay(request);
    }

    /**
     * Authorizes the request and sends it up a pooled connection. With a token verified lately (or a public service)
     * and an idle connection in the pool, all of it happens now, on the caller's event loop; otherwise the caller's
     * connection stops reading until the token is checked (off the loop) and a connection is ready.
     */
    void start() {
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        String bearer = bearerToken(request.headers());
        Identity known = bearer == null ? null : state.tokens().get(bearer);
        if (!isPublic && known == null) {
            ctx.channel().config().setAutoRead(false);
            CompletableFuture.runAsync(() -> authorize(bearer, null), state.blocking())
                    .thenComposeAsync(ignored -> upstream(), ctx.executor()).whenComplete(this::whenUpstream);
            return;
        }
        CompletableFuture<Lease<Upstream>> ready;
        try {
            authorize(bearer, known);
            ready = upstream();
        } catch (RuntimeException e) {
            ready = CompletableFuture.failedFuture(e);
        }
        if (!ready.isDone()) {
            ctx.channel().config().setAutoRead(false);
        }
        ready.whenComplete(this::whenUpstream);
    }

    private void whenUpstream(@Nullable Lease<Upstream> ready, @Nullable Throwable failure) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> whenUpstream(ready, failure));
        } else if (failure != null) {
            fail(TunnelException.wrap(failure, ErrorCode.SSH_ERROR));
        } else {
            upstreamReady(Objects.requireNonNull(ready));
        }
    }

    /**
     * A connection to the service. If the service is not there (or its session is going away) but went away with its
     * session lately, the request waits a bounded time for the client to come back, then is answered 503.
     */
    private CompletableFuture<Lease<Upstream>> upstream() {
        return upstream(1);
    }

    private CompletableFuture<Lease<Upstream>> upstream(int attempt) {
        return connections.upstreamFor(target).exceptionallyCompose(failure -> {
            TunnelException coded = TunnelException.wrap(failure, ErrorCode.SSH_ERROR);
            if ((coded.code() != ErrorCode.NOT_FOUND && coded.code() != ErrorCode.SSH_ERROR) || attempt >= MAX_ATTEMPTS) {
                return CompletableFuture.failedFuture(unavailableIfReconnecting(coded));
            }
            return state.routeReturns().awaitReturn(target.user(), target.service()).thenCompose(back -> back
                    ? upstream(attempt + 1) : CompletableFuture.failedFuture(unavailableIfReconnecting(coded)));
        });
    }

    /** A 503 with Retry-After if the service's client is reconnecting, else {@code failure} itself (404, 502). */
    private TunnelException unavailableIfReconnecting(TunnelException failure) {
        RouteReturns returns = state.routeReturns();
        if (returns.expectsReturn(target.user(), target.service())) {
            return new TunnelException(ErrorCode.SERVER_UNAVAILABLE, target.user() + "/" + target.service()
                    + " is reconnecting and was not back within " + returns.waitLimit().toMillis() + " ms", failure);
        }
        return failure;
    }

    /** Checks the caller's token; {@code known} is its identity if recently verified (then nothing blocks). */
    private void authorize(@Nullable String bearer, @Nullable Identity known) {
        if (isPublic) {
            return;
        }
        if (bearer == null) {
            throw new TunnelException(ErrorCode.AUTHENTICATION_FAILED, "Ingress to " + target.user() + "/"
                    + target.service() + " needs an Authorization: Bearer header with a token of " + target.user());
        }
        Identity identity = known;
        if (identity == null) {
            identity = state.context().authenticator().authenticateToken(bearer);
            state.tokens().put(bearer, identity);
        }
        if (!identity.user().equals(target.user())) {
            throw new TunnelException(ErrorCode.FORBIDDEN,
                    "A token of " + identity.user() + " cannot reach the tunnel of " + target.user());
        }
    }

    private static @Nullable String bearerToken(HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    // ---- request, from the caller

    /** A piece of the request body from the caller's connection. */
    void onRequestContent(HttpContent content) {
        if (content instanceof LastHttpContent) {
            requestComplete = true;
        }
        if (finished) {
            content.release();
        } else if (upstream == null) {
            bodyBeforeUpstream.add(content);
        } else {
            send(content);
        }
    }

    /** Sends a piece of the request body, keeping a copy for a replay. */
    private void send(HttpContent content) {
        replay.keep(content);
        forward(content);
    }

    boolean requestComplete() {
        return requestComplete;
    }

    private void upstreamReady(Lease<Upstream> leased) {
        if (finished) {
            leased.close();
            return;
        }
        lease = leased;
        Upstream ready = leased.get();
        upstream = ready;
        ready.attach(this);
        pauseCallerUntilTaken(ready.send(upstreamRequest(ready)));
        for (HttpContent content; (content = bodyBeforeUpstream.poll()) != null; ) {
            send(content);
        }
        ctx.channel().config().setAutoRead(true);
    }

    private UpstreamRequest upstreamRequest(Upstream up) {
        HttpHeaders headers = request.headers();
        String originalHost = headers.get(HttpHeaderNames.HOST);
        UpstreamRequest upstreamRequest = up.newRequest(request.method(), target.path(),
                HttpUtil.isTransferEncodingChunked(request));
        for (Iterator<Map.Entry<CharSequence, CharSequence>> all = headers.iteratorCharSequence(); all.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = all.next();
            if (passesAsIs(header.getKey(), originalHost != null)) {
                upstreamRequest.header(header.getKey(), header.getValue());
            }
        }
        if (originalHost != null) {
            upstreamRequest.header(X_FORWARDED_HOST, originalHost);
        }
        upstreamRequest.header(HttpHeaderNames.HOST, "localhost");
        String previous = headers.get(X_FORWARDED_FOR);
        String client = connections.callerAddress();
        if (client != null) {
            upstreamRequest.header(X_FORWARDED_FOR, previous == null ? client : previous + ", " + client);
        } else if (previous != null) {
            upstreamRequest.header(X_FORWARDED_FOR, previous);
        }
        upstreamRequest.header(X_FORWARDED_PROTO, connections.scheme());
        return upstreamRequest.header(X_FORWARDED_PREFIX, target.prefix());
    }

    /**
     * Whether a caller's header goes to the service as it is: not one of the caller's connection, not the token
     * (unless the service is public), and not one the ingress sets. A caller's {@code X-Forwarded-Host} stays when
     * it sent no {@code Host}.
     */
    private boolean passesAsIs(CharSequence name, boolean hostGiven) {
        for (AsciiString replaced : REPLACED) {
            if (replaced.contentEqualsIgnoreCase(name)) {
                return false;
            }
        }
        return !(!isPublic && HttpHeaderNames.AUTHORIZATION.contentEqualsIgnoreCase(name))
                && !(hostGiven && X_FORWARDED_HOST.contentEqualsIgnoreCase(name));
    }

    /** Sends a piece of the request's body up the tunnel. */
    private void forward(HttpContent content) {
        Upstream up = upstream;
        if (up == null) {
            content.release();
            return;
        }
        pauseCallerUntilTaken(up.send(content));
    }

    /** Pauses reading the caller while the tunnel is full. */
    private void pauseCallerUntilTaken(CompletableFuture<Void> taken) {
        if (!taken.isDone()) {
            ctx.channel().config().setAutoRead(false);
            taken.whenComplete((ignored, failure) -> ctx.executor().execute(() -> {
                if (!finished) {
                    ctx.channel().config().setAutoRead(true);
                }
            }));
        }
    }

    // ---- response, from the upstream

    /**
     * The head of the service's response. A body that ends with the service's stream is chunked for an HTTP/1.1
     * caller; an HTTP/1.0 caller's connection closes after it instead.
     */
    void onHead(ResponseHead head) {
        if (finished) {
            head.release();
            return;
        }
        boolean http11 = request.protocolVersion().equals(HttpVersion.HTTP_1_1);
        chunkingResponse = !head.framed() && http11;
        if ((!head.framed() && !http11) || !requestComplete) {
            keepAlive = false;
        }
        write(head.finish(chunkingResponse, keepAlive));
        responseStarted = true;
    }

    /** The next bytes of the response's body, as the service framed them. */
    void onBody(ByteBuf piece) {
        if (finished) {
            piece.release();
            return;
        }
        if (chunkingResponse) {
            ByteBuf size = ctx.alloc().buffer(10);
            ByteBufUtil.writeAscii(size, Integer.toHexString(piece.readableBytes()));
            write(size.writeShort(ResponseReader.CRLF));
            write(piece);
            write(ctx.alloc().buffer(2).writeShort(ResponseReader.CRLF));
        } else {
            write(piece);
        }
    }

    /** The response is complete. */
    void onEnd() {
        if (finished) {
            return;
        }
        if (chunkingResponse) {
            write(Unpooled.wrappedBuffer(LAST_CHUNK));
        }
        complete();
    }

    /** The service's response cannot be relayed: a 502 if nothing of it went out yet, else the caller is cut off. */
    void serviceFailed(TunnelException malformed) {
        LOG.info("Response from {}/{} to {} {} not relayed: {}", target.user(), target.service(), request.method(),
                request.uri(), malformed.getMessage());
        if (!responseStarted) {
            fail(malformed);
        } else if (!finished) {
            finish(false);
            ctx.flush();
            ctx.close();
        }
    }

    private void write(ByteBuf bytes) {
        passThrough.write(bytes, passThrough.voidPromise());
        unflushed = true;
    }

    /**
     * Gives the tunnel its window back once the caller's connection can take more, or at once if this exchange is over
     * (the bytes that ended it may have closed the caller's connection, which then never becomes writable again).
     */
    void whenCallerCanTake(Runnable done) {
        if (finished || ctx.channel().isWritable()) {
            done.run();
        } else {
            windowToRelease.add(done);
        }
    }

    /** Flushes what went to the caller since the last flush. */
    void flush() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    /** The caller's connection can take more: give the tunnel back its window. */
    void onWritable() {
        for (Runnable done; (done = windowToRelease.poll()) != null; ) {
            done.run();
        }
    }

    /**
     * The stream to the service ended before the response did. Before any response byte, an idempotent request is
     * sent once more on a new stream (waiting for its service if its client is reconnecting); any other is answered
     * 503 with TUNNEL_004 and Retry-After.
     */
    void upstreamEnded() {
        if (finished) {
            return;
        }
        if (!responseStarted) {
            if (replay.possible()) {
                replayOnNewStream();
            } else {
                fail(new TunnelException(ErrorCode.SERVER_UNAVAILABLE, "The stream to " + target.user() + "/"
                        + target.service() + " ended before the service answered; a " + request.method()
                        + " request is sent once only, unless it is idempotent"));
            }
            return;
        }
        LOG.info("Response from {}/{} cut short: the tunnel stream ended", target.user(), target.service());
        finish(false);
        ctx.flush();
        ctx.close();
    }

    private void replayOnNewStream() {
        LOG.info("Replaying {} {}: its stream to {}/{} ended before any response", request.method(), request.uri(),
                target.user(), target.service());
        releaseUpstream(false);
        upstream = null;
        lease = null;
        replay.take().forEach(bodyBeforeUpstream::add);
        upstream().whenComplete(this::whenUpstream);
    }

    private void complete() {
        finish(requestComplete);
        if (keepAlive && requestComplete) {
            connections.exchangeDone();
        } else {
            passThrough.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void fail(TunnelException failure) {
        if (finished) {
            return;
        }
        finish(false);
        LOG.debug("Ingress {} {} failed: {}", request.method(), request.uri(), failure.getMessage());
        boolean reusable = keepAlive && requestComplete;
        HttpAnswers.error(ctx, failure, reusable);
        ctx.channel().config().setAutoRead(true);
        if (reusable) {
            connections.exchangeDone();
        }
    }

    /** The caller went away: drop everything. */
    void abort() {
        if (!finished) {
            finish(false);
        }
    }

    /** Ends this exchange; the upstream goes back to its pool only if it is in a clean state and kept alive. */
    private void finish(boolean upstreamClean) {
        finished = true;
        releaseUpstream(upstreamClean);
        replay.release();
        for (HttpContent content; (content = bodyBeforeUpstream.poll()) != null; ) {
            content.release();
        }
        onWritable();
    }

    private void releaseUpstream(boolean upstreamClean) {
        Upstream up = upstream;
        Lease<Upstream> leased = lease;
        if (up != null && leased != null) {
            if (upstreamClean) {
                up.detach();
            }
            if (upstreamClean && up.reusable()) {
                leased.close();
            } else {
                up.close();
                leased.retire();
            }
        }
    }
}
