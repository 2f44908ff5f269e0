package online.cloudtolocalllm.tunnel.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local HTTP service behind every setup, on one event-loop thread with TCP_NODELAY: {@code /1k} answers 1 KiB,
 * {@code /ndjson?tokens=N&gapMs=D} streams N NDJSON lines D ms apart, each stamped with {@link System#nanoTime()}
 * when written, so that a reader in this JVM can tell how long the line took to arrive.
 */
final class HttpBackend implements AutoCloseable {
    static final int BODY_SIZE = 1024;
    private static final byte[] BODY = body();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    private HttpBackend() throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new Handler());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    static HttpBackend start() throws InterruptedException {
        return new HttpBackend();
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private static byte[] body() {
        byte[] body = new byte[BODY_SIZE];
        Arrays.fill(body, (byte) 'x');
        body[BODY_SIZE - 1] = '\n';
        return body;
    }

    /** The NDJSON line for token {@code index}, stamped now. */
    static String token(int index, long sentNanos) {
        return "{\"i\":" + index + ",\"sentNanos\":" + sentNanos + "}\n";
    }

    private static final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
            if (!(message instanceof HttpRequest request)) {
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (uri.path().equals("/ndjson")) {
                stream(ctx, number(uri, "tokens", 10), number(uri, "gapMs", 10), keepAlive);
                return;
            }
            boolean found = uri.path().equals("/1k");
            ByteBuf content = found ? Unpooled.wrappedBuffer(BODY) : Unpooled.copiedBuffer("no such path\n", StandardCharsets.US_ASCII);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    found ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND, content);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private static void stream(ChannelHandlerContext ctx, int tokens, int gapMs, boolean keepAlive) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson");
            HttpUtil.setTransferEncodingChunked(head, true);
            HttpUtil.setKeepAlive(head, keepAlive);
            ctx.writeAndFlush(head);
            sendToken(ctx, 0, tokens, gapMs, keepAlive);
        }

        private static void sendToken(ChannelHandlerContext ctx, int index, int tokens, int gapMs, boolean keepAlive) {
            ctx.executor().schedule(() -> {
                if (index == tokens) {
                    var written = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    if (!keepAlive) {
                        written.addListener(ChannelFutureListener.CLOSE);
                    }
                    return;
                }
                byte[] line = token(index, System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(line)));
                sendToken(ctx, index + 1, tokens, gapMs, keepAlive);
            }, index == tokens ? 0 : gapMs, TimeUnit.MILLISECONDS);
        }

        private static int number(QueryStringDecoder uri, String name, int fallback) {
            List<String> values = uri.parameters().get(name);
            return values == null || values.isEmpty() ? fallback : Integer.parseInt(values.getFirst());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
