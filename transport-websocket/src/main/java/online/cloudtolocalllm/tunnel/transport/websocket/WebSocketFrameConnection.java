package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.spi.FrameHandler;

/**
 * A WebSocket as a frame connection: binary frames carry SSH, text frames are refused with 1003, pings go out when
 * the line is quiet, pongs answer the peer's pings, and frames over the limit close with 1009. A client's frames are
 * masked; both sides seal the frames they gather as {@link BinaryFrames} encodes them.
 */
final class WebSocketFrameConnection extends NettyFrameConnection {
    private final boolean masks;
    /** Event-loop only: the mask of the frame being gathered (the client side). */
    private int mask;

    /** {@code masks}: the client side, whose frames carry a mask. */
    WebSocketFrameConnection(Channel channel, Duration keepAliveTimeout, boolean masks) {
        super(channel, keepAliveTimeout);
        this.masks = masks;
    }

    /**
     * Starts delivering, and has the pipeline's frame decoder (in place by now on either side) hold a frame that
     * spans socket reads as those reads, instead of copying every read that follows a partial frame into one buffer.
     * With an SSH packet of 32 or 64 KiB per frame most reads end inside a frame, and those copies were a seventh of
     * the client's CPU in a bulk transfer.
     */
    @Override
    public void start(FrameHandler frameHandler) {
        channel().eventLoop().execute(() -> {
            if (channel().pipeline().get(WebSocketFrameDecoder.class) instanceof ByteToMessageDecoder decoder) {
                decoder.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
            }
        });
        super.start(frameHandler);
    }

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
                case CloseWebSocketFrame close -> peerClosed(close.statusCode() < 0 ? CloseCodes.NORMAL : close.statusCode(),
                        close.reasonText());
                default -> { } // pongs only prove liveness, which the idle handler has seen
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            // the decoder has already sent the close frame (1009 for an oversized frame)
            closedByFraming(corrupted.closeStatus().code(), String.valueOf(cause.getMessage()));
        } else if (cause instanceof TooLongFrameException) {
            close(CloseCodes.TOO_BIG, "message over the size limit");
        } else {
            close(CloseCodes.INTERNAL_ERROR, "internal error");
        }
    }

    @Override
    protected int headerRoom() {
        return BinaryFrames.HEADER_ROOM;
    }

    @Override
    protected void append(ByteBuf frame, ByteBuffer bytes, int gathered) {
        if (!masks) {
            super.append(frame, bytes, gathered);
            return;
        }
        if (gathered == 0) {
            mask = ThreadLocalRandom.current().nextInt();
        }
        BinaryFrames.appendMasked(frame, bytes, gathered, mask);
    }

    @Override
    protected Object seal(ByteBuf frame) {
        return BinaryFrames.seal(frame, masks, mask);
    }

    @Override
    protected void sendClose(int code, String reason) {
        channel().writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    protected void ping(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new PingWebSocketFrame());
    }
}
