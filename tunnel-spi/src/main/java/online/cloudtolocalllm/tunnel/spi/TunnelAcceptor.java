package online.cloudtolocalllm.tunnel.spi;

import java.net.SocketAddress;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelServer;

/**
 * The server's tunnel endpoint as hosts see it: a host (the Netty server, a Jakarta WebSocket container) checks
 * each upgrade with {@link #authenticate} and hands the connection over with {@link #accept}.
 */
public interface TunnelAcceptor {

    /**
     * Checks an upgrade before it completes. A request without a token is let through as
     * {@link Identity#anonymous()} when SSH public-key login is possible, and the SSH login decides.
     *
     * @throws TunnelException with TUNNEL_002 or TUNNEL_003; the host answers 401 with {@link TunnelException#toJson()}
     */
    Identity authenticate(UpgradeRequest request);

    /** Runs SSH over {@code connection}, whose upgrade {@link #authenticate} accepted as {@code identity}. */
    void accept(FrameConnection connection, Identity identity);

    /**
     * The host refused a connection from {@code remote} before any upgrade, such as a TLS handshake that failed
     * ({@link ErrorCode#TLS_HANDSHAKE_FAILED}); the server reports it to its listeners. Does nothing by default.
     */
    default void refused(SocketAddress remote, TunnelException why) {
    }

    /** The acceptor behind a server made by {@code tunnel-core}. */
    static TunnelAcceptor of(TunnelServer server) {
        if (server instanceof TunnelAcceptor acceptor) {
            return acceptor;
        }
        throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, server.getClass().getName()
                + " cannot accept connections from a host: create it with TunnelServer.create (tunnel-core)");
    }
}
