package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.ClientTransport;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.TransportConfig;
import org.jspecify.annotations.Nullable;

/**
 * Dials WebSocket connections with Netty: TCP_NODELAY, no extensions, and for {@code wss} TLS on the JDK's engine with
 * host name checks, verified as the config's {@link online.cloudtolocalllm.tunnel.api.TlsTrust} says.
 */
final class NettyClientTransport implements ClientTransport {
    private final TransportConfig config;
    private volatile @Nullable SslContext tls;

    NettyClientTransport(TransportConfig config) {
        this.config = config;
    }

    @Override
    public CompletableFuture<FrameConnection> connect(URI uri, Map<String, String> headers) {
        boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        HttpHeaders handshakeHeaders = new DefaultHttpHeaders();
        headers.forEach(handshakeHeaders::set);
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13,
                null, false, handshakeHeaders, config.maxFrameSize(), true, false, config.connectTimeout().toMillis());
        CompletableFuture<FrameConnection> opened = new CompletableFuture<>();
        SslContext context;
        try {
            context = secure ? tls() : null;
        } catch (SSLException e) {
            return CompletableFuture.failedFuture(new TunnelException(ErrorCode.CONFIGURATION_ERROR, "TLS setup failed: " + e, e));
        } catch (TunnelException e) {
            return CompletableFuture.failedFuture(e);
        }
        ChannelFuture connecting = new Bootstrap()
                .group(ClientEventLoops.group())
                .channel(NettyIo.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (context != null) {
                            pipeline.addLast("tls", context.newHandler(channel.alloc(), uri.getHost(), port));
                        }
                        pipeline.addLast("http", new HttpClientCodec());
                        pipeline.addLast("http-aggregator", new HttpObjectAggregator(64 * 1024));
                        pipeline.addLast("ws-upgrade", new ClientUpgradeHandler(handshaker, config, opened, uri.getHost() + ":" + port));
                    }
                })
                .connect(uri.getHost(), port);
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                opened.completeExceptionally(new TunnelException(ErrorCode.SERVER_UNAVAILABLE,
                        "Cannot reach " + uri + ": " + done.cause().getMessage(), done.cause()));
            }
        });
        Channel channel = connecting.channel();
        opened.whenComplete((connection, failure) -> {
            if (failure != null) {
                channel.close();
            }
        });
        return opened;
    }

    private SslContext tls() throws SSLException {
        SslContext context = tls;
        if (context == null) {
            context = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(ServerCertificateTrust.of(config.tlsTrust()))
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
            tls = context;
        }
        return context;
    }

    @Override
    public void close() {
        // connections own nothing of the transport; the shared event loops are daemon threads
    }

    @Override
    public String toString() {
        return "NettyClientTransport[" + config.connectTimeout().toString().toLowerCase(Locale.ROOT) + "]";
    }
}
