package online.cloudtolocalllm.tunnel.transport.websocket;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.ClientTransport;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.TransportConfig;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Dials WebSocket connections with OkHttp: TCP_NODELAY on, pings at the keepalive interval (a missing pong fails
 * the connection), no compression (SSH bytes are encrypted and do not compress). A {@code wss} server is verified as
 * the config's {@link online.cloudtolocalllm.tunnel.api.TlsTrust} says, with OkHttp's own host name check.
 */
final class OkHttpTransport implements ClientTransport {
    private final OkHttpClient client;
    private final ScheduledExecutorService drainWatcher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("okhttp-ws-drain").factory());

    OkHttpTransport(TransportConfig config) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .socketFactory(new NoDelaySocketFactory())
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.connectTimeout())
                .pingInterval(pingInterval(config))
                .webSocketCloseTimeout(Duration.ofSeconds(5))
                .minWebSocketMessageToCompress(Long.MAX_VALUE)
                .retryOnConnectionFailure(false);
        if (!config.tlsTrust().isSystem()) {
            X509ExtendedTrustManager trust = ServerCertificateTrust.of(config.tlsTrust());
            builder.sslSocketFactory(socketFactory(trust), trust);
        }
        this.client = builder.build();
    }

    private static SSLSocketFactory socketFactory(X509ExtendedTrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * OkHttp fails a connection whose pong has not come back when the next ping is due, so the ping interval is
     * also the pong deadline: at least half the keepalive timeout, which puts dead-peer detection within it.
     */
    private static Duration pingInterval(TransportConfig config) {
        Duration half = config.idleTimeout().dividedBy(2);
        return half.compareTo(config.pingInterval()) > 0 ? half : config.pingInterval();
    }

    @Override
    public CompletableFuture<FrameConnection> connect(URI uri, Map<String, String> headers) {
        Request.Builder request = new Request.Builder().url(uri.toString());
        headers.forEach(request::header);
        OkHttpFrameConnection connection = new OkHttpFrameConnection(uri, drainWatcher);
        client.newWebSocket(request.build(), connection);
        return connection.opened();
    }

    @Override
    public void close() {
        drainWatcher.shutdownNow();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
