package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.spi.Identity;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the first bytes of a connection and sets up its pipeline: an SSH banner goes straight to the tunnel
 * acceptor; anything else is HTTP (tunnel upgrades, ingress, health). A connection that has not said what it is
 * within the handshake timeout is closed.
 */
final class ConnectionSniffer extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSniffer.class);
    private static final byte[] SSH = "SSH-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP2_PREFACE = "PRI ".getBytes(StandardCharsets.US_ASCII);
    private static final byte TLS_HANDSHAKE = 0x16;

    private final HostState state;
    private @Nullable ScheduledFuture<?> handshakeTimeout;

    ConnectionSniffer(HostState state) {
        this.state = state;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Duration timeout = state.context().config().handshakeTimeout();
        handshakeTimeout = ctx.executor().schedule(() -> {
            LOG.info("Closing {}: no complete request within {} s", ctx.channel().remoteAddress(), timeout.toSeconds());
            ctx.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < SSH.length) {
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        if (startsWith(in, SSH)) {
            cancelTimeout();
            Duration idle = state.context().config().keepAliveTimeout();
            RawSshConnection connection = new RawSshConnection(ctx.channel(), idle);
            pipeline.addAfter(ctx.name(), "ssh-idle", new IdleStateHandler(idle.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
            pipeline.addAfter("ssh-idle", "ssh", connection);
            pipeline.remove(this);
            state.context().acceptor().accept(connection, Identity.anonymous());
        } else if (in.getByte(in.readerIndex()) == TLS_HANDSHAKE) {
            LOG.info("Closing {}: TLS is not enabled on this port", ctx.channel().remoteAddress());
            in.skipBytes(in.readableBytes());
            ctx.close();
        } else if (startsWith(in, HTTP2_PREFACE)) {
            LOG.info("Closing {}: HTTP/2 with prior knowledge is not enabled on this port", ctx.channel().remoteAddress());
            in.skipBytes(in.readableBytes());
            ctx.close();
        } else {
            pipeline.addAfter(ctx.name(), "http", new HttpServerCodec(8192, 16 * 1024, 64 * 1024));
            pipeline.addAfter("http", "router", new HttpRouter(state, this::cancelTimeout));
            pipeline.remove(this);
        }
    }

    private void cancelTimeout() {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Connection {} failed while sniffing: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static boolean startsWith(ByteBuf in, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (in.getByte(in.readerIndex() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
