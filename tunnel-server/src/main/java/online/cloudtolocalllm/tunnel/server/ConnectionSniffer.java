package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TlsSettings;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.Identity;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the first bytes of a connection and sets up its pipeline: an SSH banner goes straight to the tunnel
 * acceptor; a TLS ClientHello (when TLS is on) goes to a TLS handler, behind which a second sniffer looks at what
 * the TLS stream carries; anything else is HTTP (tunnel upgrades, ingress, health). When the port requires TLS,
 * plaintext HTTP is answered with 426 and plaintext SSH closed. A connection that has not said what it is within
 * the handshake timeout is closed.
 */
final class ConnectionSniffer extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSniffer.class);
    private static final byte[] SSH = "SSH-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP2_PREFACE = "PRI ".getBytes(StandardCharsets.US_ASCII);
    private static final byte TLS_HANDSHAKE = 0x16;

    private final HostState state;
    private final @Nullable SslContext tls;
    private final boolean insideTls;
    private @Nullable ScheduledFuture<?> handshakeTimeout;

    /** A sniffer for a new connection; {@code tls} is the port's TLS context, if TLS is on. */
    ConnectionSniffer(HostState state, @Nullable SslContext tls) {
        this(state, tls, false, null);
    }

    private ConnectionSniffer(HostState state, @Nullable SslContext tls, boolean insideTls,
            @Nullable ScheduledFuture<?> handshakeTimeout) {
        this.state = state;
        this.tls = tls;
        this.insideTls = insideTls;
        this.handshakeTimeout = handshakeTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (handshakeTimeout != null) {
            return;
        }
        Duration timeout = state.context().config().handshakeTimeout();
        handshakeTimeout = ctx.executor().schedule(() -> {
            LOG.info("Closing {}: no complete request within {} s", ctx.channel().remoteAddress(), timeout.toSeconds());
            ctx.channel().close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < SSH.length) {
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        if (in.getByte(in.readerIndex()) == TLS_HANDSHAKE) {
            startTls(ctx, in);
        } else if (!insideTls && state.context().config().tls().map(TlsSettings::requireTls).orElse(false)) {
            refusePlaintext(ctx, in);
        } else if (startsWith(in, SSH)) {
            cancelTimeout();
            Duration idle = state.context().config().keepAliveTimeout();
            RawSshConnection connection = new RawSshConnection(ctx.channel(), idle);
            pipeline.addAfter(ctx.name(), "ssh-idle", new IdleStateHandler(idle.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
            pipeline.addAfter("ssh-idle", "ssh", connection);
            pipeline.remove(this);
            state.context().acceptor().accept(connection, Identity.anonymous());
        } else if (startsWith(in, HTTP2_PREFACE)) {
            close(ctx, in, "HTTP/2 with prior knowledge is not enabled on this port");
        } else {
            // the encoder goes first: a WebSocket upgrade puts its frame encoder before it and its frame decoder in
            // the request decoder's place, so what the frame decoder writes (a close on a protocol error) is encoded
            IngressResponseEncoder encoder = new IngressResponseEncoder();
            pipeline.addAfter(ctx.name(), "http-encoder", encoder);
            pipeline.addAfter("http-encoder", "http", new HttpRequestDecoder(8192, 16 * 1024, 64 * 1024));
            pipeline.addAfter("http", "router", new HttpRouter(state, encoder, insideTls, this::cancelTimeout));
            pipeline.remove(this);
        }
    }

    /** Hands the ClientHello to a TLS handler, and what the TLS stream carries to a sniffer behind it. */
    private void startTls(ChannelHandlerContext ctx, ByteBuf in) {
        if (tls == null || insideTls) {
            close(ctx, in, insideTls ? "TLS inside TLS" : "TLS is not enabled on this port");
            return;
        }
        SslHandler handler = tls.newHandler(ctx.alloc());
        handler.setHandshakeTimeoutMillis(state.context().config().handshakeTimeout().toMillis());
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter(ctx.name(), "tls", handler);
        pipeline.addAfter("tls", "tls-sniffer", new ConnectionSniffer(state, null, true, handshakeTimeout));
        pipeline.remove(this);
    }

    private void refusePlaintext(ChannelHandlerContext ctx, ByteBuf in) {
        if (startsWith(in, SSH) || startsWith(in, HTTP2_PREFACE)) {
            close(ctx, in, "this port takes TLS only");
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter(ctx.name(), "http", new HttpServerCodec(8192, 16 * 1024, 64 * 1024));
        pipeline.addAfter("http", "plaintext-refusal", new PlaintextRefusal(this::cancelTimeout));
        pipeline.remove(this);
    }

    private static void close(ChannelHandlerContext ctx, ByteBuf in, String why) {
        LOG.info("Closing {}: {}", ctx.channel().remoteAddress(), why);
        in.skipBytes(in.readableBytes());
        ctx.close();
    }

    /** Called for every request on the connection: only the first finds a timeout to cancel. */
    private void cancelTimeout() {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
            handshakeTimeout = null;
        }
    }

    /** Behind a TLS handler: a failed handshake is reported to the server (and so to its crypto audit). */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            SocketAddress remote = ctx.channel().remoteAddress();
            String why = done.cause().getMessage() != null ? done.cause().getMessage() : done.cause().toString();
            // Netty's "not an SSL/TLS record" carries a hex dump of the whole record
            state.context().acceptor().refused(remote, new TunnelException(ErrorCode.TLS_HANDSHAKE_FAILED,
                    "TLS handshake from " + remote + " failed: " + (why.length() > 160 ? why.substring(0, 160) + "..." : why)));
        }
        super.userEventTriggered(ctx, event);
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
