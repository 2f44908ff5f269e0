package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.FrameHandler;
import online.cloudtolocalllm.tunnel.spi.LocalConnector;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FrameConnection} on a Netty channel, the part every framing shares. Outgoing frames go through one queue
 * drained on the event loop (a write made directly on the loop would otherwise overtake frames queued from other
 * threads, and SSH packets must keep their order). Frames are flushed once per pass of the event loop, after the
 * reads and tasks that produced them: a burst of packets from many streams leaves in one system call. A send
 * completes while the channel is writable. A peer silent past the keepalive timeout is closed; subclasses frame the bytes and answer pings.
 */
public abstract class NettyFrameConnection extends ChannelInboundHandlerAdapter implements FrameConnection {
    private final Channel channel;
    private final Duration keepAliveTimeout;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> waitingForWritable = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Outgoing> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flushNow;
    /** Event-loop only: a flush is queued behind what the loop is doing now. */
    private boolean flushScheduled;
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final AtomicBoolean closedNotified = new AtomicBoolean();
    private volatile @Nullable FrameHandler handler;
    /** Event-loop only: a drain is running, so a send made from within it just queues (no recursion). */
    private boolean draining;
    private volatile int closeCode = CloseCodes.ABNORMAL;
    private volatile String closeReason = "";

    private record Outgoing(ByteBuffer frame, CompletableFuture<Void> taken) {
    }

    protected NettyFrameConnection(Channel channel, Duration keepAliveTimeout) {
        this.channel = channel;
        this.keepAliveTimeout = keepAliveTimeout;
    }

    protected final Channel channel() {
        return channel;
    }

    /** Local connections on this connection's event loop. */
    @Override
    public Optional<LocalConnector> localConnector() {
        return Optional.of(new NettyLocalConnector(channel.eventLoop()));
    }

    /**
     * What goes on the wire for one outgoing frame. Nothing may keep {@code frame} once this returns: the sender
     * reuses it when its send completes, which can come before the bytes are flushed (an {@code SslHandler} holds
     * what it is given until then), so what is written must be a copy ({@link #copy}).
     */
    protected abstract Object encode(ByteBuffer frame);

    /** {@code frame}'s bytes in a buffer of the channel's allocator. */
    protected final ByteBuf copy(ByteBuffer frame) {
        return channel.alloc().directBuffer(frame.remaining()).writeBytes(frame.duplicate());
    }

    /** Sends the close for {@code code} with {@code reason}, then closes the channel. */
    protected abstract void sendClose(int code, String reason);

    /** Sends a liveness probe on a quiet connection, if the framing has one. */
    protected abstract void ping(ChannelHandlerContext ctx);

    /** Hands received bytes to the handler, or keeps them until {@link #start}. Call on the event loop. */
    protected final void deliver(ByteBuf content) {
        FrameHandler target = handler;
        if (target == null) {
            early.add(content.retainedDuplicate());
            return;
        }
        target.onFrame(content.nioBuffer());
    }

    /** The peer closed with {@code code}: answer if the framing wants it, then close. */
    protected final void peerClosed(int code, String reason) {
        if (closeSent.compareAndSet(false, true)) {
            sendClose(code, "");
        } else {
            channel.close();
        }
        notifyClosed(code, reason);
    }

    /** The framing layer already told the peer why (a protocol violation, say): just close. */
    protected final void closedByFraming(int code, String reason) {
        closeSent.set(true);
        channel.close();
        notifyClosed(code, reason);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle) {
            switch (idle.state()) {
                case WRITER_IDLE -> ping(ctx);
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
        CompletableFuture<Void> taken = new CompletableFuture<>();
        outbound.add(new Outgoing(frame, taken));
        if (channel.eventLoop().inEventLoop()) {
            if (!draining) {
                drain();
            }
        } else if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
        return taken;
    }

    private void drain() {
        drainScheduled.set(false);
        draining = true;
        try {
            // a flush can make the channel writable again and complete waiting sends, which queue new frames
            while (!outbound.isEmpty()) {
                writeQueued();
            }
        } finally {
            draining = false;
        }
    }

    /**
     * Writes what is queued. Completing a send lets sshd write its next packet at once, which queues it here and the
     * loop takes it: the loop, not the stack, grows with the number of busy channels.
     */
    private void writeQueued() {
        boolean wrote = false;
        for (Outgoing next; (next = outbound.poll()) != null; ) {
            CompletableFuture<Void> taken = next.taken();
            if (!channel.isActive()) {
                taken.completeExceptionally(new ClosedChannelException());
                continue;
            }
            ChannelFuture written = channel.write(encode(next.frame()));
            wrote = true;
            if (written.isDone() && !written.isSuccess()) {
                taken.completeExceptionally(written.cause());
            } else if (channel.isWritable()) {
                // taken now: a write failing later closes the channel, and the handler hears of that
                taken.complete(null);
            } else {
                written.addListener(f -> {
                    if (!f.isSuccess()) {
                        taken.completeExceptionally(f.cause());
                    }
                });
                waitingForWritable.add(taken);
            }
        }
        if (wrote && !flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        channel.flush();
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
                channel.flush(); // frames written but waiting for the loop's flush still leave first
                channel.close();
            } else {
                sendClose(code, CloseReasons.truncate(reason));
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
        return getClass().getSimpleName() + "[" + channel.remoteAddress() + "]";
    }
}
