package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import online.cloudtolocalllm.tunnel.transport.websocket.NettyFrameConnection;

/**
 * SSH straight on the TCP connection (a client that sent an SSH banner instead of HTTP), so plain
 * {@code ssh -p <port>} works. TCP has no close codes or pings: a close is just a close, and liveness comes from
 * the server's SSH keepalive requests, which every client answers.
 */
final class RawSshConnection extends NettyFrameConnection {

    RawSshConnection(Channel channel, Duration idleTimeout) {
        super(channel, idleTimeout);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            try {
                deliver(bytes);
            } finally {
                ReferenceCountUtil.release(bytes);
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closedByFraming(online.cloudtolocalllm.tunnel.spi.CloseCodes.ABNORMAL, String.valueOf(cause.getMessage()));
    }

    @Override
    protected void sendClose(int code, String reason) {
        channel().close();
    }

    @Override
    protected void ping(ChannelHandlerContext ctx) {
        // nothing below SSH to ping with
    }
}
