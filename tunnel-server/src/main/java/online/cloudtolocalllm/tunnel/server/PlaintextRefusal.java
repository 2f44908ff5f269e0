package online.cloudtolocalllm.tunnel.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/** Answers a plaintext HTTP request on a port that requires TLS: 426 with {@code TUNNEL_018}, then closes. */
final class PlaintextRefusal extends ChannelInboundHandlerAdapter {
    private final Runnable firstRequestSeen;
    private boolean answered;

    PlaintextRefusal(Runnable firstRequestSeen) {
        this.firstRequestSeen = firstRequestSeen;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        if (msg instanceof HttpRequest && !answered) {
            answered = true;
            firstRequestSeen.run();
            HttpAnswers.error(ctx, new TunnelException(ErrorCode.TLS_REQUIRED,
                    "This port takes TLS only: use https:// or wss://"), false);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
