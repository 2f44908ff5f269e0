package online.cloudtolocalllm.tunnel.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import online.cloudtolocalllm.tunnel.transport.websocket.NettyIo;
import online.cloudtolocalllm.tunnel.transport.websocket.NettyTcpListener;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.AcceptedConnection;
import online.cloudtolocalllm.tunnel.spi.ServerHost;
import online.cloudtolocalllm.tunnel.spi.ServerHostContext;
import org.jspecify.annotations.Nullable;

/**
 * Listens on the server's one port, with TLS if configured; each accepted connection starts with a
 * {@link ConnectionSniffer}.
 */
final class NettyServerHost implements ServerHost {
    private final ServerHostContext context;
    private final HostState state;
    private final EventLoopGroup boss = NettyIo.group(1, "tunnel-server-accept");
    private final EventLoopGroup workers = NettyIo.group(Runtime.getRuntime().availableProcessors(), "tunnel-server-io");
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile @Nullable Channel listener;

    NettyServerHost(ServerHostContext context) {
        this.context = context;
        this.state = new HostState(context);
    }

    @Override
    public CompletableFuture<InetSocketAddress> start() {
        InetSocketAddress address = context.config().listen().orElseThrow(() ->
                new TunnelException(ErrorCode.CONFIGURATION_ERROR, "The Netty host needs a listen address"));
        @Nullable SslContext tls;
        try {
            tls = context.config().tls().map(ServerTls::context).orElse(null);
        } catch (TunnelException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        new ServerBootstrap()
                .group(boss, workers)
                .channel(NettyIo.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.pipeline().addLast("sniffer", new ConnectionSniffer(state, tls));
                    }
                })
                .bind(address)
                .addListener(future -> {
                    if (future.isSuccess()) {
                        Channel channel = ((io.netty.channel.ChannelFuture) future).channel();
                        listener = channel;
                        bound.complete((InetSocketAddress) channel.localAddress());
                    } else {
                        bound.completeExceptionally(new TunnelException(ErrorCode.CONFIGURATION_ERROR,
                                "Cannot listen on " + address + ": " + future.cause().getMessage(), future.cause()));
                    }
                });
        return bound;
    }

    /** Accepts on the same loops as the tunnel connections, so a single-loop server bridges without a switch. */
    @Override
    public Optional<AutoCloseable> listenTcp(InetSocketAddress address, Consumer<AcceptedConnection> accepted)
            throws IOException {
        return Optional.of(NettyTcpListener.listen(boss, workers, address, accepted));
    }

    @Override
    public void stopAccepting() {
        state.stopAccepting();
        Channel channel = listener;
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public CompletableFuture<Void> close() {
        stopAccepting();
        CompletableFuture<Void> done = new CompletableFuture<>();
        connections.close().addListener(closed -> {
            state.close();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> done.complete(null));
        });
        return done;
    }
}
