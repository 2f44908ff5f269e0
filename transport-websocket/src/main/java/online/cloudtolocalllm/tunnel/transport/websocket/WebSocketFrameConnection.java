package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.FrameHandler;
import org.jspecify.annotations.Nullable;

/**
 * A server-side WebSocket on a Netty channel as a {@link FrameConnection}: binary frames carry SSH, text frames are
 * refused with 1003, pings go out when the line is quiet and a peer silent past the keepalive timeout is closed
 * with 1001. Sends complete while the channel is writable (under its write-buffer high-water mark); writes made in
 * one event-loop pass go out with one flush.
 */
final class WebSocketFrameConnection extends ChannelInboundHandlerAdapter implements FrameConnection {
    private final Channel channel;
    private final Duration keepAliveTimeout;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> waitingForWritable = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Outgoing> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final AtomicBoolean closedNotified = new AtomicBoolean();
    private volatile @Nullable FrameHandler handler;
    private volatile int closeCode = CloseCodes.ABNORMAL;
    private volatile String closeReason = "";

    private record Outgoing(ByteBuffer frame, CompletableFuture<Void> taken) {
    }

    WebSocketFrameConnection(Channel channel, Duration keepAliveTimeout) {
        this.channel = channel;
        this.keepAliveTimeout = keepAliveTimeout;
    }

    // ---- inbound, on the event loop

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            switch (frame) {
                case BinaryWebSocketFrame binary -> deliver(binary.content());
                case TextWebSocketFrame text ->
                        close(CloseCodes.UNSUPPORTED_DATA, "text frames are not accepted: SSH travels in binary frames");
                case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                case CloseWebSocketFrame close -> peerClosed(close.statusCode(), close.reasonText());
                default -> { } // pongs only prove liveness, which the idle handler has seen
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    private void deliver(ByteBuf content) {
        FrameHandler target = handler;
        if (target == null) {
            early.add(content.retainedDuplicate());
            return;
        }
        target.onFrame(content.nioBuffer());
    }

    private void peerClosed(int code, String reason) {
        int status = code < 0 ? CloseCodes.NORMAL : code;
        if (closeSent.compareAndSet(false, true)) {
            channel.writeAndFlush(new CloseWebSocketFrame(status, "")).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
        notifyClosed(status, reason);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle) {
            switch (idle.state()) {
                case WRITER_IDLE -> ctx.writeAndFlush(new PingWebSocketFrame());
                case READER_IDLE -> close(CloseCodes.GOING_AWAY,
                        "nothing received for " + keepAliveTimeout.toSeconds() + " s: connection presumed dead");
                default -> { }
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            releaseWaiting();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        notifyClosed(CloseCodes.ABNORMAL, "connection lost");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            // the decoder has already sent the close frame (1009 for an oversized frame)
            closeSent.set(true);
            channel.close();
            notifyClosed(corrupted.closeStatus().code(), String.valueOf(cause.getMessage()));
        } else if (cause instanceof TooLongFrameException) {
            close(CloseCodes.TOO_BIG, "message over the size limit");
        } else {
            close(CloseCodes.INTERNAL_ERROR, "internal error");
        }
    }

    // ---- FrameConnection

    @Override
    public void start(FrameHandler frameHandler) {
        channel.eventLoop().execute(() -> {
            handler = frameHandler;
            if (closedNotified.get()) {
                frameHandler.onClosed(closeCode, closeReason);
                return;
            }
            for (ByteBuf content; (content = early.poll()) != null; ) {
                try {
                    frameHandler.onFrame(content.nioBuffer());
                } finally {
                    content.release();
                }
            }
        });
    }

    @Override
    public CompletableFuture<Void> send(ByteBuffer frame) {
        if (!channel.isActive() || closeSent.get()) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        // every frame goes through one queue drained on the event loop: a write made directly on the loop would
        // otherwise overtake frames queued from other threads, and SSH packets must keep their order
        CompletableFuture<Void> taken = new CompletableFuture<>();
        outbound.add(new Outgoing(frame, taken));
        if (channel.eventLoop().inEventLoop()) {
            drain();
        } else if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
        return taken;
    }

    private void drain() {
        drainScheduled.set(false);
        boolean wrote = false;
        for (Outgoing next; (next = outbound.poll()) != null; ) {
            CompletableFuture<Void> taken = next.taken();
            if (!channel.isActive()) {
                taken.completeExceptionally(new ClosedChannelException());
                continue;
            }
            channel.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(next.frame()))).addListener(f -> {
                if (!f.isSuccess()) {
                    taken.completeExceptionally(f.cause());
                }
            });
            wrote = true;
            if (channel.isWritable()) {
                taken.complete(null);
            } else {
                waitingForWritable.add(taken);
            }
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void releaseWaiting() {
        boolean open = channel.isActive();
        if (!open) {
            for (Outgoing dropped; (dropped = outbound.poll()) != null; ) {
                dropped.taken().completeExceptionally(new ClosedChannelException());
            }
        }
        for (CompletableFuture<Void> waiting; (waiting = waitingForWritable.poll()) != null; ) {
            if (open) {
                waiting.complete(null);
            } else {
                waiting.completeExceptionally(new ClosedChannelException());
            }
        }
    }

    @Override
    public void suspendReads() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReads() {
        channel.config().setAutoRead(true);
    }

    @Override
    public void close(int code, String reason) {
        if (closeSent.compareAndSet(false, true) && channel.isActive()) {
            if (code == CloseCodes.ABNORMAL) {
                channel.close();
            } else {
                channel.writeAndFlush(new CloseWebSocketFrame(code, CloseReasons.truncate(reason)))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
        notifyClosed(code, reason);
    }

    private void notifyClosed(int code, String reason) {
        if (!closedNotified.compareAndSet(false, true)) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        releaseWaiting();
        channel.eventLoop().execute(() -> {
            for (ByteBuf content; (content = early.poll()) != null; ) {
                content.release();
            }
        });
        FrameHandler target = handler;
        if (target != null) {
            target.onClosed(code, reason);
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isActive() && !closedNotified.get();
    }

    @Override
    public SocketAddress localAddress() {
        return channel.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public String toString() {
        return "WebSocket[" + channel.remoteAddress() + "]";
    }
}
