package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.api.StreamReceiver;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 connection to one user's service through a tunnel stream, pooled for the next request while the
 * service keeps it alive: a burst of ingress requests reuses channels and the service's keep-alive connections
 * instead of opening new ones. Requests arrive encoded ({@link UpstreamRequest}); responses are followed, not
 * decoded ({@link ResponseReader}), and go to the caller as the service wrote them. Everything runs on one event
 * loop, the one of every ingress connection that uses it.
 */
final class Upstream implements StreamReceiver, ResponseReader.Listener {
    /**
     * Request heads are written here, one at a time per thread: the tunnel copies each into its packets before the
     * write returns. One buffer a loop stays in the core's cache; one an upstream was a cold write per request.
     */
    private static final FastThreadLocal<ByteBuf> HEADS = new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
            return Unpooled.buffer(512);
        }
    };
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final TunnelStream stream;
    private final ResponseReader reader;
    private @Nullable UpstreamRequest current;
    // written on the loop, read by the pool's health checks from its maintenance thread
    private volatile @Nullable IngressExchange exchange;
    private volatile boolean ended;
    private volatile boolean keepAlive = true;

    private Upstream(EventLoop loop, ByteBufAllocator alloc, TunnelStream stream) {
        this.loop = loop;
        this.alloc = alloc;
        this.stream = stream;
        this.reader = new ResponseReader(alloc);
    }

    /** Opens a stream to {@code target}'s service; completes on {@code loop}. */
    static CompletableFuture<Upstream> open(EventLoop loop, ByteBufAllocator alloc, TunnelServer server, IngressTarget target) {
        CompletableFuture<Upstream> opened = new CompletableFuture<>();
        server.openStream(target.user(), target.service()).whenComplete((stream, failure) -> loop.execute(() -> {
            if (failure != null) {
                opened.completeExceptionally(failure);
                return;
            }
            Upstream upstream = new Upstream(loop, alloc, stream);
            stream.receive(upstream);
            opened.complete(upstream);
        }));
        return opened;
    }

    /** Whether another request can use this connection: open, kept alive by the service, idle, and in step. */
    boolean reusable() {
        return !ended && keepAlive && exchange == null && reader.clean();
    }

    void attach(IngressExchange next) {
        exchange = next;
    }

    /** The exchange is over with the connection in a clean state. */
    void detach() {
        exchange = null;
    }

    /** A new request's head, to fill and {@link #send(UpstreamRequest)}; it replaces the one sent before it. */
    UpstreamRequest newRequest(HttpMethod method, String path, boolean chunked) {
        return new UpstreamRequest(HEADS.get(), method, path, chunked);
    }

    /** Sends the head of {@code request}; its body follows with {@link #send(HttpContent)}. */
    CompletableFuture<Void> send(UpstreamRequest request) {
        ByteBuf head = request.finishHead();
        if (ended) {
            return closed();
        }
        current = request;
        reader.expect(request.isHead());
        return stream.write(head.nioBuffer());
    }

    /** Sends a piece of the current request's body. The future completes when the tunnel has taken all of it. */
    CompletableFuture<Void> send(HttpContent content) {
        UpstreamRequest request = current;
        if (ended || request == null) {
            content.release();
            return closed();
        }
        try {
            return write(request.body(content));
        } finally {
            content.release();
        }
    }

    private CompletableFuture<Void> write(ByteBuf bytes) {
        try {
            // an empty piece (the end of a body framed by its length) needs no packet
            return bytes.isReadable() ? stream.write(bytes.nioBuffer()) : CompletableFuture.completedFuture(null);
        } finally {
            bytes.release();
        }
    }

    private static CompletableFuture<Void> closed() {
        return CompletableFuture.failedFuture(new java.io.EOFException("The stream to the service is closed"));
    }

    // ---- from the tunnel (any thread)

    @Override
    public void onData(ByteBuffer data, Runnable done) {
        // a pooled (direct) buffer: the response goes out to the caller's socket without another copy
        ByteBuf copy = alloc.buffer(data.remaining()).writeBytes(data);
        onLoop(() -> received(copy, done));
    }

    @Override
    public void onEnd() {
        onLoop(this::streamEnded);
    }

    @Override
    public void onError(Throwable failure) {
        onLoop(this::streamEnded);
    }

    /**
     * Runs {@code task} now if the tunnel delivers on this loop (its session lives here), else queues it there. A
     * session always delivers from its own thread, so the stream's events keep their order either way.
     */
    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
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
        try {
            reader.read(bytes, this);
        } catch (TunnelException malformed) {
            keepAlive = false;
            current.serviceFailed(malformed);
        }
        current.flush();
        current.whenCallerCanTake(done);
    }

    // ---- what the reader finds, for the exchange it belongs to

    @Override
    public void head(ResponseHead head) {
        keepAlive = head.keepAlive();
        IngressExchange current = exchange;
        if (current == null) {
            head.release();
        } else {
            current.onHead(head);
        }
    }

    @Override
    public void body(ByteBuf piece) {
        IngressExchange current = exchange;
        if (current == null) {
            piece.release();
        } else {
            current.onBody(piece);
        }
    }

    @Override
    public void end() {
        IngressExchange current = exchange;
        if (current != null) {
            current.onEnd();
        }
    }

    private void streamEnded() {
        if (ended) {
            return;
        }
        ended = true;
        IngressExchange current = exchange;
        if (current != null) {
            reader.endOfInput(this);
            current.flush();
            if (exchange == current) {
                current.upstreamEnded();
            }
        }
    }

    void close() {
        ended = true;
        stream.close();
    }
}
