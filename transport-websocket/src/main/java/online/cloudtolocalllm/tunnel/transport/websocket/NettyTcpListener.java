package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import online.cloudtolocalllm.tunnel.spi.AcceptedConnection;

/**
 * Accepts TCP connections for a server's TCP listener on Netty event loops, each an {@link AcceptedConnection} with
 * reads paused, handed over on its own loop: a host whose tunnel connections run on the same loops bridges the two
 * without a thread switch.
 */
public final class NettyTcpListener {
    private NettyTcpListener() {
    }

    /**
     * Binds {@code address}, accepting on {@code boss} and serving each connection on a loop of {@code workers}.
     * Closing the result stops listening; connections already accepted go on.
     *
     * @throws IOException if the address cannot be bound
     */
    public static AutoCloseable listen(EventLoopGroup boss, EventLoopGroup workers, InetSocketAddress address,
            Consumer<AcceptedConnection> accepted) throws IOException {
        Channel listener;
        try {
            listener = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NettyIo.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            NettyLocalConnection connection = new NettyLocalConnection();
                            channel.pipeline().addLast(connection);
                            accepted.accept(connection);
                        }
                    })
                    .bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw e instanceof IOException io ? io : new IOException("Cannot listen on " + address + ": " + e, e);
        }
        return () -> {
            listener.close();
        };
    }
}
