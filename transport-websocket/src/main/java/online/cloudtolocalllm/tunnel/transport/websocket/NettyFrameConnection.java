package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
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
 * A {@link FrameConnection} on a Netty channel, the part every framing shares. Outgoing sends go through one queue
 * drained on the event loop (a write made directly on the loop would otherwise overtake sends queued from other
 * threads, and SSH packets must keep their order). The sends of one pass of the event loop are gathered into one
 * frame of up to {@link #GATHER_LIMIT} bytes, written and flushed after the reads and tasks that produced them: the
 * peer reads an SSH byte stream, so a burst of packets from many streams leaves as a few frames in one system call
 * (at 512 busy connections a flush carried ~500 frames of one packet each). A send completes while the channel is
 * writable. A peer silent past the keepalive timeout is closed; subclasses frame the bytes and answer pings.
 */
public abstract class NettyFrameConnection extends ChannelInboundHandlerAdapter implements FrameConnection {
    /** The most payload a frame gathers from several sends; a larger send goes alone. Phase 1 peers take 1 MiB. */
    static final int GATHER_LIMIT = 64 * 1024;
    /** The least a gathered frame's buffer starts with. */
    private static final int FIRST_CAPACITY = 8 * 1024;

    private final Channel channel;
    private final Duration keepAliveTimeout;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> waitingForWritable = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Outgoing> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flushNow;
    /** Event-loop only: a flush is queued behind what the loop is doing now. */
    private boolean flushScheduled;
    /** Event-loop only: this pass's sends so far, after {@link #headerRoom()} bytes kept for the frame's header. */
    private @Nullable ByteBuf gathered;
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final AtomicBoolean closedNotified = new AtomicBoolean();
    private volatile @Nullable FrameHandler handler;
    /** Event-loop only: a drain is running, so a send made from within it just queues (no recursion). */
    private boolean draining;
    private volatile int closeCode = CloseCodes.ABNORMAL;
    private volatile String closeReason = "";

    private record Outgoing(ByteBuffer bytes, CompletableFuture<Void> taken) {
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

    /** Room kept in front of a gathered frame's payload for the header {@link #seal} writes; none by default. */
    protected int headerRoom() {
        return 0;
    }

    /**
     * Copies {@code bytes} into {@code frame} after the {@code gathered} payload bytes it holds, leaving their position
     * where it was. The sender reuses {@code bytes} once its send completes, which can come before the frame is
     * written, so nothing may keep them.
     */
    protected void append(ByteBuf frame, ByteBuffer bytes, int gathered) {
        frame.writeBytes(bytes.duplicate());
    }

    /** What goes on the wire for the payload gathered in {@code frame}: by default the bytes as they are. */
    protected Object seal(ByteBuf frame) {
        return frame;
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
            writeGatheredOnLoop();
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
        boolean gatheredAny = false;
        for (Outgoing next; (next = outbound.poll()) != null; ) {
            CompletableFuture<Void> taken = next.taken();
            if (!channel.isActive()) {
                taken.completeExceptionally(new ClosedChannelException());
                continue;
            }
            gather(next.bytes());
            gatheredAny = true;
            if (channel.isWritable()) {
                // taken now: a write failing later closes the channel, and the handler hears of that
                taken.complete(null);
            } else {
                waitingForWritable.add(taken);
            }
        }
        if (gatheredAny && !flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    /** Adds {@code bytes} to this pass's frame, first writing the frame if they would take it past the limit. */
    private void gather(ByteBuffer bytes) {
        int length = bytes.remaining();
        int room = headerRoom();
        ByteBuf frame = gathered;
        if (frame != null && frame.writerIndex() - room + length > GATHER_LIMIT) {
            writeGathered();
            frame = null;
        }
        if (frame == null) {
            frame = channel.alloc().directBuffer(room + Math.max(length, FIRST_CAPACITY), room + Math.max(length, GATHER_LIMIT));
            frame.writerIndex(room);
            gathered = frame;
        }
        append(frame, bytes, frame.writerIndex() - room);
    }

    /** Writes the frame gathered so far, if any. Event loop only. */
    private void writeGathered() {
        ByteBuf frame = gathered;
        if (frame != null) {
            gathered = null;
            channel.write(seal(frame));
        }
    }

    /** Before a close: on the loop, writes what this pass gathered; off it, the flush queued behind the sends will. */
    private void writeGatheredOnLoop() {
        if (channel.eventLoop().inEventLoop()) {
            writeGathered();
        }
    }

    private void flushNow() {
        flushScheduled = false;
        writeGathered();
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
            writeGatheredOnLoop();
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
