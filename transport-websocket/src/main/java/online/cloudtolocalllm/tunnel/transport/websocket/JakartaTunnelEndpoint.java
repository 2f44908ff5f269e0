package online.cloudtolocalllm.tunnel.transport.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.spi.Identity;
import online.cloudtolocalllm.tunnel.spi.TunnelAcceptor;
import online.cloudtolocalllm.tunnel.spi.UpgradeRequest;

/**
 * The tunnel endpoint for an application that runs a Jakarta WebSocket container (Tomcat, Jetty): deploy
 * {@link #config} at a path of your own. The token is checked during the handshake; a refused one closes the
 * session with 1008 and the JSON error as reason. Add {@link TunnelUpgradeFilter} in front for a proper HTTP 401.
 *
 * <pre>{@code
 * serverContainer.addEndpoint(JakartaTunnelEndpoint.config(tunnelServer, "/tunnel"));
 * }</pre>
 */
public final class JakartaTunnelEndpoint extends Endpoint {
    private static final String AUTHENTICATED = "tunnel.identity";
    private static final String REFUSED = "tunnel.refusal";

    private final TunnelAcceptor acceptor;
    private final int maxFrameSize;
    private volatile JakartaFrameConnection connection;

    private JakartaTunnelEndpoint(TunnelAcceptor acceptor, int maxFrameSize) {
        this.acceptor = acceptor;
        this.maxFrameSize = maxFrameSize;
    }

    /** The endpoint configuration to deploy at {@code path}, serving {@code server}'s tunnels. */
    public static ServerEndpointConfig config(TunnelServer server, String path) {
        TunnelAcceptor acceptor = TunnelAcceptor.of(server);
        TunnelServerConfig serverConfig = server.config();
        return ServerEndpointConfig.Builder.create(JakartaTunnelEndpoint.class, path)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
                        UpgradeRequest upgrade = new UpgradeRequest(request.getRequestURI().getPath(),
                                request.getParameterMap(), request.getHeaders(), remoteOf(config.getUserProperties()));
                        try {
                            config.getUserProperties().put(AUTHENTICATED, acceptor.authenticate(upgrade));
                        } catch (TunnelException e) {
                            config.getUserProperties().put(REFUSED, e);
                        }
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new JakartaTunnelEndpoint(acceptor, serverConfig.maxFrameSize()));
                    }
                })
                .build();
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        Map<String, Object> properties = config.getUserProperties();
        if (!(properties.get(AUTHENTICATED) instanceof Identity identity)) {
            TunnelException refusal = properties.get(REFUSED) instanceof TunnelException e ? e
                    : new TunnelException(ErrorCode.AUTHENTICATION_FAILED, "Upgrade not authenticated");
            closeQuietly(session, CloseCodes.POLICY_VIOLATION, refusal.toJson());
            return;
        }
        session.setMaxBinaryMessageBufferSize(maxFrameSize);
        JakartaFrameConnection frames = new JakartaFrameConnection(session, remoteOf(properties));
        connection = frames;
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) frames::onBinary);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text ->
                frames.close(CloseCodes.UNSUPPORTED_DATA, "text frames are not accepted: SSH travels in binary frames"));
        acceptor.accept(frames, identity);
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        JakartaFrameConnection frames = connection;
        if (frames != null) {
            frames.closed(reason.getCloseCode().getCode(), reason.getReasonPhrase());
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        JakartaFrameConnection frames = connection;
        int code = failure instanceof jakarta.websocket.DecodeException || String.valueOf(failure.getMessage()).contains("too")
                ? CloseCodes.TOO_BIG : CloseCodes.INTERNAL_ERROR;
        if (frames != null) {
            frames.close(code, String.valueOf(failure.getMessage()));
        }
    }

    private static void closeQuietly(Session session, int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), CloseReasons.truncate(reason)));
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** The peer address where the container shares it (Tomcat and Jetty put it in the user properties). */
    private static SocketAddress remoteOf(Map<String, Object> properties) {
        Object address = properties.get("jakarta.websocket.endpoint.remoteAddress");
        return address instanceof SocketAddress socket ? socket : InetSocketAddress.createUnresolved("websocket-peer", 0);
    }

}
