package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.nio.ByteBuffer;
import java.util.Objects;
import online.cloudtolocalllm.tunnel.spi.AcceptedConnection;
import org.jspecify.annotations.Nullable;

/**
 * A TCP connection on a Netty channel: one opened to a local service, or one accepted for a TCP listener (whose
 * receiver comes later, {@link #receive}). Writes are copied into pooled direct buffers and flushed as they come;
 * their callbacks run when the socket took them. Reads go to the receiver as Netty delivers them.
 */
final class NettyLocalConnection extends ChannelInboundHandlerAdapter implements AcceptedConnection {
    /** Event loop only, like the rest: set once. */
    private @Nullable Receiver receiver;
    private volatile @Nullable Channel channel;
    /** The last write, which a half-close waits for. */
    private @Nullable ChannelFuture lastWrite;
    private boolean ended;
    private boolean closed;

    /** A connection to a local service, its bytes to {@code receiver}. */
    NettyLocalConnection(Receiver receiver) {
        this.receiver = receiver;
    }

    /** An accepted connection, its receiver to come. */
    NettyLocalConnection() {
    }

    /** Sets the receiver on the event loop, telling it at once if the caller already half-closed or went away. */
    @Override
    public void receive(Receiver next) {
        inLoop(() -> {
            receiver = next;
            if (ended) {
                next.onEnd();
            }
            if (closed) {
                next.onClosed();
            }
        });
    }

    private Channel channel() {
        return Objects.requireNonNull(channel, "not connected");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void write(byte[] data, int offset, int length, Runnable written) {
        Channel ch = channel();
        ByteBuf copy = ch.alloc().directBuffer(length).writeBytes(data, offset, length);
        inLoop(() -> {
            ChannelFuture write = ch.writeAndFlush(copy);
            lastWrite = write;
            write.addListener(f -> written.run());
        });
    }

    @Override
    public void shutdownOutput() {
        inLoop(() -> {
            ChannelFuture pending = lastWrite;
            if (pending == null || pending.isDone()) {
                ((DuplexChannel) channel()).shutdownOutput();
            } else {
                pending.addListener(f -> ((DuplexChannel) channel()).shutdownOutput());
            }
        });
    }

    /** Pausing or resuming reads once the peer half-closed would fail in epoll (the socket has left its set). */
    @Override
    public void pauseReads() {
        inLoop(() -> {
            if (!ended) {
                channel().config().setAutoRead(false);
            }
        });
    }

    @Override
    public void resumeReads() {
        inLoop(() -> {
            if (!ended) {
                channel().config().setAutoRead(true);
            }
        });
    }

    @Override
    public void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    private void inLoop(Runnable task) {
        Channel ch = channel();
        if (ch.eventLoop().inEventLoop()) {
            task.run();
        } else {
            ch.eventLoop().execute(task);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        ByteBuf bytes = (ByteBuf) message;
        try {
            Objects.requireNonNull(receiver, "reads resumed before a receiver was set").onData(bytes.nioBuffer());
        } finally {
            bytes.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent && !ended) {
            ended = true;
            if (receiver != null) {
                receiver.onEnd();
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (receiver != null) {
            receiver.onClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
