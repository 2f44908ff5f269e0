package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.ConnectException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import online.cloudtolocalllm.tunnel.spi.LocalConnection;
import online.cloudtolocalllm.tunnel.spi.LocalConnector;

/** Opens local connections on one event loop: the loop of the tunnel connection they serve. */
final class NettyLocalConnector implements LocalConnector {
    private final EventLoop loop;

    NettyLocalConnector(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public CompletableFuture<LocalConnection> connect(String host, int port, LocalConnection.Receiver receiver) {
        return retriedOnce(() -> attempt(host, port, receiver));
    }

    /**
     * Runs {@code attempt} once more if it failed other than by the service refusing or not answering (a
     * {@link ConnectException}). Under a burst of connects, epoll has been seen to report a read on a socket still
     * connecting ({@code NotYetConnectedException}), which ends that socket, not the service.
     */
    static <T> CompletableFuture<T> retriedOnce(Supplier<CompletableFuture<T>> attempt) {
        return attempt.get().exceptionallyCompose(failure -> failure instanceof ConnectException
                ? CompletableFuture.failedFuture(failure) : attempt.get());
    }

    private CompletableFuture<LocalConnection> attempt(String host, int port, LocalConnection.Receiver receiver) {
        CompletableFuture<LocalConnection> connected = new CompletableFuture<>();
        NettyLocalConnection connection = new NettyLocalConnection(receiver);
        new Bootstrap().group(loop).channel(NettyIo.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(connection)
                .connect(host, port).addListener(f -> {
                    if (f.isSuccess()) {
                        connected.complete(connection);
                    } else {
                        connected.completeExceptionally(f.cause());
                    }
                });
        return connected;
    }
}
