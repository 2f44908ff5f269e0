package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.spi.TunnelAcceptor;

/** The smallest Netty host for the WebSocket handlers: every request on the port is a tunnel upgrade. */
final class NettyTestHost implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel listener;

    NettyTestHost(TunnelServer server) throws InterruptedException {
        TunnelAcceptor acceptor = TunnelAcceptor.of(server);
        NettyWebSocketUpgrade.Settings settings = new NettyWebSocketUpgrade.Settings(server.config().maxFrameSize(),
                server.config().keepAliveInterval(), server.config().keepAliveTimeout(),
                Executors.newVirtualThreadPerTaskExecutor());
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                        ctx.pipeline().remove(this);
                                        NettyWebSocketUpgrade.upgrade(ctx.channel(), request.retain(), acceptor, settings);
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort() + path);
    }

    @Override
    public void close() {
        listener.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
