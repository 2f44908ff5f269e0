package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.api.StreamReceiver;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 connection to one user's service through a tunnel stream, kept for the next request of the same
 * ingress connection while the service keeps it alive: like OpenSSH's {@code -L}, one channel per caller connection
 * instead of one per request. Requests are encoded and responses decoded here; everything runs on the ingress
 * connection's event loop.
 */
final class Upstream implements StreamReceiver {
    private final ChannelHandlerContext ctx;
    private final HostState state;
    private final IngressTarget target;
    private final long routeGeneration;
    private final TunnelStream stream;
    private final EmbeddedChannel codec = new EmbeddedChannel(new HttpClientCodec());
    private @Nullable IngressExchange exchange;
    private boolean ended;
    private boolean keepAlive = true;

    private Upstream(ChannelHandlerContext ctx, HostState state, IngressTarget target, long routeGeneration, TunnelStream stream) {
        this.ctx = ctx;
        this.state = state;
        this.target = target;
        this.routeGeneration = routeGeneration;
        this.stream = stream;
    }

    /** Opens a stream to {@code target}'s service; completes on the event loop of {@code ctx}. */
    static CompletableFuture<Upstream> open(ChannelHandlerContext ctx, HostState state, IngressTarget target) {
        CompletableFuture<Upstream> opened = new CompletableFuture<>();
        long generation = state.routeGeneration(target.user(), target.service());
        state.context().server().openStream(target.user(), target.service()).whenComplete((stream, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                opened.completeExceptionally(failure);
                return;
            }
            Upstream upstream = new Upstream(ctx, state, target, generation, stream);
            stream.receive(upstream);
            opened.complete(upstream);
        }));
        return opened;
    }

    /** Whether the next request for {@code next} can go over this connection (the route has not moved since). */
    boolean serves(IngressTarget next) {
        return !ended && keepAlive && exchange == null && next.user().equals(target.user())
                && next.service().equals(target.service())
                && state.routeGeneration(target.user(), target.service()) == routeGeneration;
    }

    void attach(IngressExchange next) {
        exchange = next;
    }

    /** The exchange is over; keeps the connection if the service allows, else closes it. */
    void detach() {
        exchange = null;
        if (!keepAlive) {
            close();
        }
    }

    /** Encodes {@code message} and sends it; the future completes when the tunnel has taken all of it. */
    CompletableFuture<Void> send(HttpObject message) {
        if (ended) {
            ReferenceCountUtil.release(message);
            return CompletableFuture.failedFuture(new java.io.EOFException("The stream to the service is closed"));
        }
        codec.writeOutbound(message);
        CompletableFuture<Void> taken = CompletableFuture.completedFuture(null);
        for (ByteBuf bytes; (bytes = codec.readOutbound()) != null; ) {
            try {
                taken = stream.write(bytes.nioBuffer());
            } finally {
                bytes.release();
            }
        }
        return taken;
    }

    // ---- from the tunnel (any thread)

    @Override
    public void onData(ByteBuffer data, Runnable done) {
        // a pooled (direct) buffer: the response goes out to the caller's socket without another copy
        ByteBuf copy = ctx.alloc().buffer(data.remaining()).writeBytes(data);
        ctx.executor().execute(() -> received(copy, done));
    }

    @Override
    public void onEnd() {
        ctx.executor().execute(this::streamEnded);
    }

    @Override
    public void onError(Throwable failure) {
        ctx.executor().execute(this::streamEnded);
    }

    private void received(ByteBuf bytes, Runnable done) {
        IngressExchange current = exchange;
        if (current == null || ended) {
            // nothing asked for this: an idle service must not talk, so this connection is not reusable
            bytes.release();
            done.run();
            close();
            return;
        }
        codec.writeInbound(bytes);
        relay(current);
        current.whenCallerCanTake(done);
    }

    private void relay(IngressExchange current) {
        boolean wrote = false;
        for (Object message; exchange == current && (message = codec.readInbound()) != null; ) {
            if (message instanceof HttpResponse head && head.status().code() >= 200) {
                keepAlive = HttpUtil.isKeepAlive(head);
            }
            wrote |= current.relay(message);
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private void streamEnded() {
        if (ended) {
            return;
        }
        ended = true;
        codec.finish();
        IngressExchange current = exchange;
        if (current != null) {
            relay(current);
            if (exchange == current) {
                current.upstreamEnded();
            }
        }
        codec.finishAndReleaseAll();
    }

    void close() {
        ended = true;
        stream.close();
        codec.finishAndReleaseAll();
    }
}
