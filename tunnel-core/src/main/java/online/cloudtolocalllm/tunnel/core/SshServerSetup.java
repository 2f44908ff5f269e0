package online.cloudtolocalllm.tunnel.core;

import java.security.PublicKey;
import java.util.List;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.spi.Authenticator;
import online.cloudtolocalllm.tunnel.spi.Identity;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionHeartbeatController;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.DirectTcpipFactory;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.common.global.KeepAliveHandler;
import org.apache.sshd.server.global.NoMoreSessionsHandler;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the sshd server of a tunnel server: password login with a token or public-key login with an authorized
 * key, each bound to the identity the upgrade proved; service registration instead of port binding; forward
 * streams only to allowed targets; session channels only for agent forwarding, never shells.
 */
final class SshServerSetup {
    private static final Logger LOG = LoggerFactory.getLogger(SshServerSetup.class);

    private SshServerSetup() {
    }

    static TunnelSshServer create(TunnelServerConfig config, EndpointCrypto crypto, HostKeyRing hostKeys, Authenticator authenticator,
            ServerRoutes routes, ForwardPolicy forwardPolicy, ServerAgents agents, TrafficCounters counters) {
        TunnelSshServer server = (TunnelSshServer) ServerBuilder.builder()
                .factory(() -> new TunnelSshServer(counters))
                .build();
        crypto.apply(server, ServerBuilder.DH2KEX);
        server.setKeyPairProvider(hostKeys);
        config.hostCertificate().ifPresent(file -> {
            HostCertificate certificate = HostCertificate.read(file, hostKeys.current().getPublic(), config.clock().instant());
            server.setHostKeyCertificateProvider(certificate);
            LOG.info("Host key certified by {}: {}", file, certificate.describe());
        });
        server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE, UserAuthPasswordFactory.INSTANCE));
        server.setPasswordAuthenticator((user, token, session) -> tokenLogin(authenticator, user, token, session));
        server.setPublickeyAuthenticator((user, key, session) -> keyLogin(authenticator, user, key, session));
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGlobalRequestHandlers(List.of(KeepAliveHandler.INSTANCE, NoMoreSessionsHandler.INSTANCE,
                LaneRequestHandler.INSTANCE, new ServiceRegistrationHandler(routes), new HostKeyProofHandler(hostKeys)));
        server.setChannelFactories(List.of(DirectTcpipFactory.INSTANCE, AgentSessionChannel.factory(agents)));
        server.setForwardingFilter(forwardingFilter(forwardPolicy));
        server.addChannelListener(StreamCounting.INSTANCE);
        CoreModuleProperties.AUTH_TIMEOUT.set(server, config.handshakeTimeout());
        server.setReservedSessionMessagesHandler(new ServerHeartbeat());
        server.setSessionHeartbeat(SessionHeartbeatController.HeartbeatType.RESERVED, config.keepAliveInterval());
        return server;
    }

    private static boolean tokenLogin(Authenticator authenticator, String user, String token, ServerSession session) {
        Identity identity;
        try {
            identity = authenticator.authenticateToken(token);
        } catch (TunnelException e) {
            LOG.info("SSH login of '{}' from {} refused: {}", user, session.getRemoteAddress(), e.getMessage());
            return false;
        }
        if (!identity.user().equals(user)) {
            LOG.info("SSH login of '{}' refused: the token belongs to '{}'", user, identity.user());
            return false;
        }
        return matchesUpgrade(user, session);
    }

    private static boolean keyLogin(Authenticator authenticator, String user, PublicKey key, ServerSession session) {
        if (!matchesUpgrade(user, session)) {
            return false;
        }
        boolean authorized = authenticator.authorizeKey(user, key);
        if (!authorized) {
            LOG.info("SSH key {} of '{}' from {} is not authorized", KeyFiles.fingerprint(key), user, session.getRemoteAddress());
        }
        return authorized;
    }

    /** A login must be for the user the upgrade authenticated, if the upgrade carried a token. */
    private static boolean matchesUpgrade(String user, ServerSession session) {
        Identity upgrade = session.getIoSession().getAttribute(FrameIoAcceptor.UPGRADE_IDENTITY) instanceof Identity id
                ? id : Identity.anonymous();
        if (!upgrade.isAnonymous() && !upgrade.user().equals(user)) {
            LOG.info("SSH login of '{}' refused: the connection was opened with a token of '{}'", user, upgrade.user());
            return false;
        }
        return true;
    }

    private static ForwardingFilter forwardingFilter(ForwardPolicy policy) {
        return new ForwardingFilter() {
            @Override
            public boolean canForwardAgent(Session session, String requestType) {
                return false;
            }

            @Override
            public boolean canForwardX11(Session session, String requestType) {
                return false;
            }

            @Override
            public boolean canListen(SshdSocketAddress address, Session session) {
                return false;
            }

            @Override
            public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
                boolean allowed = type == Type.Direct && policy.allows(address.getHostName(), address.getPort());
                if (!allowed) {
                    LOG.info("Forward stream of '{}' to {} refused by policy", session.getUsername(), address);
                }
                return allowed;
            }
        };
    }
}
