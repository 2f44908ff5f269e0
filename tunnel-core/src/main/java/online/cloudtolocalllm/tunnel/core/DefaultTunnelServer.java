package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.ForwardedAgent;
import online.cloudtolocalllm.tunnel.api.SessionCrypto;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelListener;
import online.cloudtolocalllm.tunnel.api.TunnelMetrics;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.api.TunnelSession;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.spi.AgentGatewayProvider;
import online.cloudtolocalllm.tunnel.spi.Authenticator;
import online.cloudtolocalllm.tunnel.spi.AuthenticatorProvider;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.Identity;
import online.cloudtolocalllm.tunnel.spi.Providers;
import online.cloudtolocalllm.tunnel.spi.ServerHost;
import online.cloudtolocalllm.tunnel.spi.ServerHostContext;
import online.cloudtolocalllm.tunnel.spi.ServerHostProvider;
import online.cloudtolocalllm.tunnel.spi.TunnelAcceptor;
import online.cloudtolocalllm.tunnel.spi.UpgradeRequest;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.session.ServerSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server endpoint: sshd over frame connections, the service routing table, and the lifecycle. */
final class DefaultTunnelServer implements TunnelServer, TunnelAcceptor, ServerRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultTunnelServer.class);
    /** How often the rotation looks at the clock (real time; the clock itself may be a test's). */
    private static final long ROTATION_CHECK_MS = 200;

    private final TunnelServerConfig config;
    private final Authenticator authenticator;
    private final boolean keyLoginPossible;
    private final TrafficCounters counters = new TrafficCounters(null);
    private final EventPublisher events;
    private final ServiceRegistry registry = new ServiceRegistry();
    private final Map<ServerSession, Instant> sessions = new ConcurrentHashMap<>();
    private final ForwardPolicy forwardPolicy;
    private final ServerAgents agents;
    private final DrainingNotice draining = new DrainingNotice();
    private final List<AutoCloseable> tcpListeners = new ArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tunnel-server-scheduler").factory());
    private @Nullable TunnelSshServer ssh;
    private @Nullable ServerHost host;
    private volatile @Nullable InetSocketAddress address;
    private volatile @Nullable HostKeyRing hostKeys;

    DefaultTunnelServer(TunnelServerConfig config) {
        this.config = config;
        Optional<Authenticator> given = config.components().get(Authenticator.class);
        this.authenticator = given.orElseGet(() -> Providers.select(AuthenticatorProvider.class, config.components(),
                null, p -> true, "online.cloudtolocalllm.tunnel:tunnel-core").create(config));
        this.keyLoginPossible = given.isPresent() || config.authorizedKeys().isPresent();
        this.events = new EventPublisher(config.listeners(), config.clock());
        this.forwardPolicy = new ForwardPolicy(config.forwardAllow());
        this.agents = new ServerAgents(config.agentForwardingAllowed() ? Providers.select(AgentGatewayProvider.class,
                config.components(), null, p -> true, "online.cloudtolocalllm.tunnel:auth-agent").create(config) : null, events);
    }

    @Override
    public TunnelServerConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<TunnelServer> start() {
        if (!started.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException("Server already started"));
        }
        try {
            EndpointCrypto crypto = EndpointCrypto.resolve(config.crypto(), config.components(), events,
                    config.listen().map(String::valueOf).orElse("embedded"));
            HostKeyType hostKeyType = HostKeyType.of(crypto.suite());
            Path keyFile = config.dataDir().resolve(hostKeyType.fileName());
            HostKeyRing ring = crypto.key().map(key -> new HostKeyRing(key.keyPair(), null))
                    .orElseGet(() -> config.hostKeyRotation().isPresent() ? HostKeyRotator.load(keyFile, hostKeyType::generate)
                            : new HostKeyRing(KeyFiles.readOrCreate(keyFile, "tunnel-server", hostKeyType::generate), null));
            hostKeys = ring;
            TunnelSshServer server = SshServerSetup.create(config, crypto, ring, authenticator, this, forwardPolicy, agents, counters);
            server.addSessionListener(new SessionEvents());
            server.addSessionListener(new KeyExchangeEvents(new KeyExchangeSink()));
            server.start();
            ssh = server;
            config.hostKeyRotation().ifPresent(rotation -> {
                HostKeyRotator rotator = new HostKeyRotator(ring, keyFile, hostKeyType::generate, rotation, config.clock(),
                        new RotationEvents(ring));
                scheduler.scheduleWithFixedDelay(() -> rotate(rotator), ROTATION_CHECK_MS, ROTATION_CHECK_MS, TimeUnit.MILLISECONDS);
            });
            if (config.listen().isEmpty()) {
                startTcpListeners(null);
            }
        } catch (IOException | RuntimeException e) {
            shutdownNow();
            return CompletableFuture.failedFuture(TunnelException.wrap(e, ErrorCode.CONFIGURATION_ERROR));
        }
        if (config.listen().isEmpty()) {
            return CompletableFuture.completedFuture(this);
        }
        ServerHostProvider provider = Providers.select(ServerHostProvider.class, config.components(), null, p -> true,
                "online.cloudtolocalllm.tunnel:tunnel-server");
        host = provider.create(new ServerHostContext(config, this, this, authenticator));
        // off the host's I/O thread that completes the bind: a TCP listener binds in the host, and waits for it
        return host.start().handleAsync((bound, failure) -> {
            if (failure != null) {
                shutdownNow();
                throw TunnelException.wrap(failure, ErrorCode.CONFIGURATION_ERROR);
            }
            try {
                startTcpListeners(host);
            } catch (IOException | RuntimeException e) {
                shutdownNow();
                throw TunnelException.wrap(e, ErrorCode.CONFIGURATION_ERROR);
            }
            address = bound;
            LOG.info("Tunnel server listening on {} with host key {}", bound, hostKeyFingerprint());
            return this;
        }, scheduler);
    }

    /**
     * Starts the TCP listeners: on the host's I/O threads if it has them, so a connection and its tunnel share a
     * thread; else each on virtual threads of its own.
     */
    private void startTcpListeners(@Nullable ServerHost on) throws IOException {
        for (Map.Entry<String, InetSocketAddress> entry : config.tcpListeners().entrySet()) {
            String[] userService = entry.getKey().split("/", 2);
            String user = userService[0];
            String service = userService[1];
            Optional<AutoCloseable> hosted = on == null ? Optional.empty()
                    : on.listenTcp(entry.getValue(), caller -> TcpConnectionBridge.start(caller, this, user, service));
            if (hosted.isPresent()) {
                tcpListeners.add(hosted.get());
                LOG.info("TCP listener on {} forwards to {}/{}", entry.getValue(), user, service);
            } else {
                tcpListeners.add(TcpServiceListener.start(entry.getValue(), user, service, this));
            }
        }
    }

    private void closeTcpListeners() {
        for (AutoCloseable listener : tcpListeners) {
            try {
                listener.close();
            } catch (Exception e) {
                LOG.debug("Closing a TCP listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public Optional<InetSocketAddress> address() {
        return Optional.ofNullable(address);
    }

    @Override
    public String hostKeyFingerprint() {
        HostKeyRing ring = hostKeys;
        if (ring == null) {
            throw new IllegalStateException("The host key is loaded by start()");
        }
        return KeyFiles.fingerprint(ring.current().getPublic());
    }

    private static void rotate(HostKeyRotator rotator) {
        try {
            rotator.tick();
        } catch (RuntimeException e) {
            LOG.warn("Host-key rotation step failed; trying again: {}", e.toString());
        }
    }

    private String serverEndpoint() {
        InetSocketAddress bound = address;
        return bound == null ? "embedded" : bound.toString();
    }

    // ---- TunnelAcceptor

    @Override
    public void refused(SocketAddress remote, TunnelException why) {
        events.publish(TunnelEvent.Type.FAILED, String.valueOf(remote), null, null, why.getMessage(), why, 0, null);
    }

    @Override
    public Identity authenticate(UpgradeRequest request) {
        try {
            Optional<String> token = request.bearerToken();
            if (token.isEmpty()) {
                if (keyLoginPossible) {
                    return Identity.anonymous();
                }
                throw new TunnelException(ErrorCode.AUTHENTICATION_FAILED,
                        "Missing token: pass ?token=<JWT> or an Authorization: Bearer header");
            }
            Identity identity = authenticator.authenticateToken(token.get());
            Optional<String> userId = request.queryParameter("userId");
            if (userId.isPresent() && !userId.get().equals(identity.user())) {
                throw new TunnelException(ErrorCode.AUTHENTICATION_FAILED, "userId does not match the token's subject");
            }
            return identity;
        } catch (TunnelException e) {
            events.publish(TunnelEvent.Type.FAILED, String.valueOf(request.remoteAddress()), null, null,
                    "upgrade refused: " + e.getMessage(), e, 0, null);
            throw e;
        }
    }

    @Override
    public void accept(FrameConnection connection, Identity identity) {
        TunnelSshServer server = ssh;
        if (shuttingDown.get() || server == null || server.frameAcceptor() == null) {
            connection.close(CloseCodes.GOING_AWAY, shuttingDown.get() ? "server shutting down" : "server not started");
            return;
        }
        server.frameAcceptor().accept(connection, identity);
    }

    // ---- ServerRoutes

    @Override
    public boolean register(ServerSession session, String name, String bindAddress, int bindPort) {
        String user = session.getUsername();
        if (registry.servicesOf(session).size() >= config.maxServicesPerSession()) {
            refuse(session, name, "more than " + config.maxServicesPerSession() + " services on one session");
            return false;
        }
        List<ServiceRoute> replaced = registry.register(new ServiceRoute(user, name, session, bindAddress, bindPort,
                session.getAttribute(Lane.KEY)));
        String endpoint = String.valueOf(session.getRemoteAddress());
        for (ServiceRoute old : replaced) {
            if (old.session() != session) {
                events.publish(TunnelEvent.Type.SERVICE_UNREGISTERED, String.valueOf(old.session().getRemoteAddress()),
                        user, name, "taken over by a newer session", null, 0, null);
            }
        }
        events.publish(TunnelEvent.Type.SERVICE_REGISTERED, endpoint, user, name, "", null, 0, null);
        return true;
    }

    @Override
    public void unregister(ServerSession session, String name) {
        ServiceRoute removed = registry.unregister(session.getUsername(), name, session);
        if (removed != null) {
            events.publish(TunnelEvent.Type.SERVICE_UNREGISTERED, String.valueOf(session.getRemoteAddress()),
                    removed.user(), name, "cancelled by the client", null, 0, null);
        }
    }

    @Override
    public void refuse(ServerSession session, String name, String reason) {
        events.publish(TunnelEvent.Type.FAILED, String.valueOf(session.getRemoteAddress()), session.getUsername(), name,
                "service registration refused: " + reason, null, 0, null);
    }

    // ---- streams

    @Override
    public CompletableFuture<TunnelStream> openStream(String user, String service) {
        Optional<ServiceRoute> found = registry.find(user, service);
        if (found.isEmpty()) {
            String why = registry.hasUser(user) ? "User '" + user + "' exposes no service '" + service + "'"
                    : "User '" + user + "' has no tunnel connected";
            return CompletableFuture.failedFuture(new TunnelException(ErrorCode.NOT_FOUND, why));
        }
        ServiceRoute route = found.get();
        StreamChannel channel = new StreamChannel(StreamChannel.FORWARDED, route.bindAddress(), route.bindPort(), "127.0.0.1", 0);
        return StreamOpener.open(route.session(), channel, user + "/" + service);
    }

    @Override
    public boolean exposes(String user, String service) {
        return registry.serves(user, service);
    }

    @Override
    public Optional<ForwardedAgent> forwardedAgent(String user) {
        return agents.forUser(user);
    }

    // ---- introspection

    @Override
    public List<TunnelSession> sessions() {
        List<TunnelSession> result = new ArrayList<>();
        sessions.forEach((session, since) -> {
            TrafficCounters sessionCounters = StreamCounting.counters(session);
            result.add(new TunnelSession(Long.toString(session.getIoSession().getId()), session.getUsername(),
                    String.valueOf(session.getRemoteAddress()), since, registry.servicesOf(session),
                    sessionCounters == null ? TunnelMetrics.EMPTY : sessionCounters.snapshot(),
                    Objects.requireNonNull(KeyExchangeEvents.of(session), "an authenticated session has keys")));
        });
        return result;
    }

    @Override
    public TunnelMetrics metrics() {
        return counters.snapshot();
    }

    @Override
    public void addListener(TunnelListener listener) {
        events.add(listener);
    }

    // ---- lifecycle

    @Override
    public void shutdown() {
        if (!shuttingDown.compareAndSet(false, true)) {
            return;
        }
        if (host != null) {
            host.stopAccepting();
        }
        closeTcpListeners();
        draining.announce(sessions.keySet());
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        scheduler.scheduleWithFixedDelay(() -> {
            boolean drained = counters.openStreams() == 0 && !draining.waitingForHandoffs();
            if (drained || System.nanoTime() >= deadline) {
                closeEverything(false);
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdownNow() {
        shuttingDown.set(true);
        closeTcpListeners();
        closeEverything(true);
    }

    private synchronized void closeEverything(boolean immediately) {
        if (terminated.getCount() == 0) {
            return;
        }
        TunnelSshServer server = ssh;
        if (server != null) {
            try {
                if (!server.close(immediately).await(Duration.ofSeconds(5))) {
                    server.close(true);
                }
            } catch (IOException e) {
                LOG.warn("SSH server did not stop cleanly: {}", e.toString());
                server.close(true);
            }
        }
        if (host != null) {
            host.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(failure -> null).join();
        }
        agents.close();
        scheduler.shutdownNow();
        terminated.countDown();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public Duration shutdownTimeout() {
        return config.shutdownTimeout();
    }

    /** Key exchanges and failed negotiations into events. */
    private final class KeyExchangeSink implements KeyExchangeEvents.Sink {
        @Override
        public void exchanged(Session session, SessionCrypto crypto) {
            events.publish(TunnelEvent.Type.KEY_EXCHANGED, String.valueOf(session.getRemoteAddress()), session.getUsername(),
                    null, crypto.toString(), null, 0, null);
        }

        @Override
        public void failed(Session session, String why) {
            events.publish(TunnelEvent.Type.KEY_EXCHANGE_FAILED, String.valueOf(session.getRemoteAddress()), null, null, why,
                    null, 0, null);
            events.publish(TunnelEvent.Type.FAILED, String.valueOf(session.getRemoteAddress()), null, null, why, null, 0, null);
        }
    }

    /** Rotation steps into announcements to the live sessions and events. */
    private final class RotationEvents implements HostKeyRotator.Listener {
        private final HostKeyRing ring;

        RotationEvents(HostKeyRing ring) {
            this.ring = ring;
        }

        @Override
        public void announced(KeyPair current, KeyPair successor, Instant presentedFrom) {
            sessions.keySet().forEach(session -> HostKeyAnnouncement.send(session, ring.announced()));
            events.publish(TunnelEvent.Type.HOST_KEY_ANNOUNCED, serverEndpoint(), null, null, "successor "
                    + KeyFiles.fingerprint(successor.getPublic()) + " announced to " + sessions.size() + " sessions, presented from "
                    + presentedFrom + "; current " + KeyFiles.fingerprint(current.getPublic()), null, 0, null);
        }

        @Override
        public void rotated(KeyPair retired, KeyPair current) {
            events.publish(TunnelEvent.Type.HOST_KEY_ROTATED, serverEndpoint(), null, null, "presenting "
                    + KeyFiles.fingerprint(current.getPublic()) + ", retired " + KeyFiles.fingerprint(retired.getPublic()),
                    null, 0, null);
        }
    }

    /** Session lifecycle into events and the session table. */
    private final class SessionEvents implements SessionListener {
        @Override
        public void sessionEvent(Session session, Event event) {
            if (event == Event.Authenticated && session instanceof ServerSession server) {
                sessions.put(server, config.clock().instant());
                HostKeyRing ring = hostKeys;
                if (ring != null && config.hostKeyRotation().isPresent() && !shuttingDown.get()) {
                    // from another thread: sshd calls this before it writes the login reply, holding the session's encoder
                    scheduler.execute(() -> HostKeyAnnouncement.send(server, ring.announced()));
                }
                events.publish(TunnelEvent.Type.CONNECTED, String.valueOf(session.getRemoteAddress()),
                        session.getUsername(), null, "session " + session.getIoSession().getId(), null, 0, null);
            }
        }

        @Override
        public void sessionClosed(Session session) {
            if (!(session instanceof ServerSession server)) {
                return;
            }
            draining.closed(server);
            String endpoint = String.valueOf(session.getRemoteAddress());
            for (ServiceRoute route : registry.removeSession(server)) {
                events.publish(TunnelEvent.Type.SERVICE_UNREGISTERED, endpoint, route.user(), route.service(),
                        "session ended", null, 0, null);
            }
            if (sessions.remove(server) != null) {
                String why = session.getIoSession() instanceof FrameIoSession frames ? frames.closeReason() : "";
                events.publish(TunnelEvent.Type.DISCONNECTED, endpoint, session.getUsername(), null,
                        "session " + session.getIoSession().getId() + " closed " + why, null, 0, null);
            }
        }
    }
}
