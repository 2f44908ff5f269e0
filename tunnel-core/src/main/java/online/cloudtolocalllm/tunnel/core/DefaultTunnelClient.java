package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.SessionCrypto;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelListener;
import online.cloudtolocalllm.tunnel.api.TunnelMetrics;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.spi.ClientTransport;
import online.cloudtolocalllm.tunnel.spi.LocalAgent;
import online.cloudtolocalllm.tunnel.spi.LocalAgentContext;
import online.cloudtolocalllm.tunnel.spi.LocalAgentProvider;
import online.cloudtolocalllm.tunnel.spi.Providers;
import online.cloudtolocalllm.tunnel.spi.SshKey;
import online.cloudtolocalllm.tunnel.spi.TransportConfig;
import online.cloudtolocalllm.tunnel.spi.TransportProvider;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.future.GlobalRequestFuture;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * The client endpoint: dials, logs in, registers its services, and reconnects with back-off whenever the
 * connection drops. All state changes run on one scheduler thread, in order.
 */
final class DefaultTunnelClient implements TunnelClient {
    private final TunnelClientConfig config;
    private final String user;
    private final EventPublisher events;
    private final TrafficCounters counters = new TrafficCounters(null);
    private final Backoff backoff;
    private final HostKeyCheck hostKeys;
    private final Optional<SshKey> userKey;
    private final AtomicReference<@Nullable String> negotiationFailure = new AtomicReference<>();
    private final ClientTransport transport;
    private final TunnelSshClient ssh;
    private final @Nullable LocalAgent localAgent;
    private final @Nullable ClientAgentForwarding agentForwarding;
    private final @Nullable Lane lane;
    /**
     * A virtual thread: starting a platform thread took most of the time from {@code create} to the first connection
     * attempt (0.5 ms on average and several at the 95th percentile, mostly waiting for the new thread and safepoints).
     */
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("tunnel-client").factory());
    private final AtomicReference<TunnelState> state = new AtomicReference<>(TunnelState.IDLE);
    private final CompletableFuture<TunnelClient> firstConnection = new CompletableFuture<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile @Nullable ClientSession session;
    private @Nullable ScheduledFuture<?> pendingReconnect;
    private int failures;

    DefaultTunnelClient(TunnelClientConfig config) {
        this(config, null);
    }

    /** A client whose session is {@code lane} of several parallel ones, or the only one when null. */
    DefaultTunnelClient(TunnelClientConfig config, @Nullable Lane lane) {
        this.config = config;
        this.lane = lane;
        this.user = config.user().orElseGet(() -> Tokens.subject(config.token().orElseThrow()));
        this.events = new EventPublisher(config.listeners(), Clock.systemUTC());
        this.backoff = new Backoff(config.reconnect(), RandomGenerator.getDefault());
        this.hostKeys = new HostKeyCheck(config.hostKeys());
        URI server = config.server();
        TransportProvider provider = Providers.select(TransportProvider.class, config.components(),
                config.transportId().orElse(null), p -> p.supports(server),
                "online.cloudtolocalllm.tunnel:transport-websocket (for " + server.getScheme() + "://)");
        this.transport = provider.create(new TransportConfig(config.connectTimeout(), config.keepAliveInterval(),
                config.keepAliveTimeout(), 1 << 20, config.tlsTrust()));
        this.localAgent = config.forwardAgent() ? Providers.select(LocalAgentProvider.class, config.components(), null,
                p -> true, "online.cloudtolocalllm.tunnel:auth-agent").create(new LocalAgentContext(config, user)) : null;
        this.agentForwarding = localAgent == null ? null : new ClientAgentForwarding(localAgent,
                (type, detail, cause) -> publish(type, detail, cause, 0, null));
        EndpointCrypto crypto = EndpointCrypto.resolve(config.crypto(), config.components(), events, config.server().toString());
        this.userKey = crypto.key();
        this.ssh = SshClientSetup.create(config, crypto, transport, hostKeys, agentForwarding, counters,
                this::onDraining, new HostKeyOutcome());
        ssh.addSessionListener(new KeyExchangeEvents(new KeyExchangeEvents.Sink() {
            @Override
            public void exchanged(Session session, SessionCrypto negotiated) {
                publish(TunnelEvent.Type.KEY_EXCHANGED, negotiated.toString(), null, 0, null);
            }

            @Override
            public void failed(Session session, String why) {
                negotiationFailure.set(why);
            }
        }));
    }

    @Override
    public TunnelClientConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<TunnelClient> start() {
        if (state.compareAndSet(TunnelState.IDLE, TunnelState.CONNECTING)) {
            ssh.start();
            onScheduler(this::connect); // not if a shutdown from another thread got here first
        }
        return firstConnection.copy();
    }

    @Override
    public TunnelState state() {
        return state.get();
    }

    @Override
    public Optional<SessionCrypto> crypto() {
        ClientSession current = session;
        return current == null ? Optional.empty() : Optional.ofNullable(KeyExchangeEvents.of(current));
    }

    // ---- connecting, on the scheduler thread

    private void connect() {
        if (isStopping()) {
            return;
        }
        int attempt = failures + 1;
        moveTo(TunnelState.CONNECTING);
        publish(TunnelEvent.Type.CONNECTING, "", null, attempt, null);
        AtomicReference<@Nullable ClientSession> attemptSession = new AtomicReference<>();
        establish(attemptSession)
                .orTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((connected, failure) -> onScheduler(() -> {
                    if (failure == null) {
                        onConnected(connected);
                    } else {
                        ClientSession partial = attemptSession.get();
                        if (partial != null) {
                            partial.close(true);
                        }
                        onAttemptFailed(attempt, failure);
                    }
                }));
    }

    private CompletableFuture<ClientSession> establish(AtomicReference<@Nullable ClientSession> attemptSession) {
        CompletableFuture<ClientSession> connected = new CompletableFuture<>();
        URI server = config.server();
        Map<String, String> headers = config.token().map(t -> Map.of("Authorization", "Bearer " + t)).orElse(Map.of());
        AttributeRepository context = AttributeRepository.ofKeyValuePair(TransportTarget.KEY, new TransportTarget(server, headers));
        try {
            ConnectFuture connecting = ssh.connect(user, server.getHost(), port(server), context, null);
            connecting.addListener(f -> {
                if (f.isConnected()) {
                    attemptSession.set(f.getClientSession());
                    connected.complete(f.getClientSession());
                } else {
                    connected.completeExceptionally(f.getException() != null ? f.getException()
                            : new TunnelException(ErrorCode.SERVER_UNAVAILABLE, "connect cancelled"));
                }
            });
        } catch (IOException e) {
            connected.completeExceptionally(e);
        }
        return connected.thenCompose(this::login).thenCompose(this::announceLane).thenCompose(this::registerServices).thenCompose(this::forwardAgent);
    }

    private CompletableFuture<ClientSession> login(ClientSession session) {
        config.token().ifPresent(session::addPasswordIdentity);
        config.identityFile().ifPresent(file -> {
            KeyPair keys = KeyFiles.read(file);
            session.addPublicKeyIdentity(keys);
        });
        userKey.ifPresent(key -> session.addPublicKeyIdentity(key.keyPair()));
        CompletableFuture<ClientSession> done = new CompletableFuture<>();
        try {
            session.auth().addListener(f -> {
                if (f.isSuccess()) {
                    done.complete(session);
                } else {
                    done.completeExceptionally(f.getException() != null ? f.getException()
                            : new TunnelException(ErrorCode.AUTHENTICATION_FAILED, "SSH login refused"));
                }
            });
        } catch (IOException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private CompletableFuture<ClientSession> announceLane(ClientSession session) {
        if (lane != null) {
            try {
                session.writePacket(lane.announcement(session));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.completedFuture(session);
    }

    private CompletableFuture<ClientSession> registerServices(ClientSession session) {
        CompletableFuture<?>[] registrations = config.services().stream()
                .map(service -> register(session, service)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(registrations).thenApply(ignored -> session);
    }

    /** Asks for agent forwarding when configured; whatever the answer, the tunnel goes on. */
    private CompletableFuture<ClientSession> forwardAgent(ClientSession session) {
        ClientAgentForwarding forwarding = agentForwarding;
        return forwarding == null ? CompletableFuture.completedFuture(session)
                : forwarding.request(session).thenApply(ignored -> session);
    }

    private CompletableFuture<Void> register(ClientSession session, ExposedService service) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            GlobalRequestFuture request = session.request(globalRequest(session, ServiceRegistrationHandler.FORWARD, service, true),
                    ServiceRegistrationHandler.FORWARD, (command, reply) -> {
                        if (command == SshConstants.SSH_MSG_REQUEST_SUCCESS) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(new TunnelException(ErrorCode.CONFIGURATION_ERROR,
                                    "The server refused to register service '" + service.name() + "'"));
                        }
                    });
            request.addListener(f -> {
                if (f.getException() != null) {
                    done.completeExceptionally(f.getException());
                }
            });
        } catch (IOException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private static Buffer globalRequest(ClientSession session, String request, ExposedService service, boolean wantReply) {
        Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, 64 + service.name().length());
        buffer.putString(request);
        buffer.putBoolean(wantReply);
        buffer.putString(service.name());
        buffer.putUInt(0);
        return buffer;
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "wss".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private void onConnected(ClientSession connected) {
        if (isStopping()) {
            connected.close(true);
            return;
        }
        session = connected;
        failures = 0;
        moveTo(TunnelState.CONNECTED);
        List<String> names = config.services().stream().map(ExposedService::name).toList();
        publish(TunnelEvent.Type.CONNECTED, names.isEmpty() ? "no services exposed" : "services registered: " + names, null, 0, null);
        firstConnection.complete(this);
        connected.addCloseFutureListener(f -> onScheduler(() -> onSessionClosed(connected)));
    }

    private void onSessionClosed(ClientSession closed) {
        if (session != closed) {
            return;
        }
        session = null;
        if (isStopping()) {
            return;
        }
        String why = closed.getIoSession() instanceof FrameIoSession frames ? "closed " + frames.closeReason() : "closed";
        publish(TunnelEvent.Type.DISCONNECTED, why, null, 0, null);
        failures = 1;
        scheduleReconnect(new TunnelException(ErrorCode.SERVER_UNAVAILABLE, "connection lost: " + why));
    }

    /**
     * The server announced it is shutting down: tell the listeners, and say whether this client moves elsewhere
     * ({@link TunnelClientConfig#drainHandoff()}) or stays until the server closes the session and then reconnects.
     */
    private boolean onDraining(Session draining) {
        if (draining != session) {
            return false;
        }
        boolean moves = config.drainHandoff();
        publish(TunnelEvent.Type.DRAINING, moves ? "the server is shutting down: moving to another endpoint"
                : "the server is shutting down: open streams may finish, then reconnecting", null, 0, null);
        return moves;
    }

    private void onAttemptFailed(int attempt, Throwable failure) {
        if (isStopping()) {
            return;
        }
        TunnelException cause = classify(failure);
        failures = attempt;
        if (isFatal(cause) || backoff.exhausted(attempt + 1)) {
            fail(cause);
            return;
        }
        scheduleReconnect(cause);
    }

    private void scheduleReconnect(TunnelException cause) {
        Duration delay = backoff.delay(failures);
        moveTo(TunnelState.RECONNECTING);
        publish(TunnelEvent.Type.RECONNECTING, cause.getMessage(), cause, failures + 1, delay);
        pendingReconnect = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void fail(TunnelException cause) {
        state.set(TunnelState.FAILED);
        publish(TunnelEvent.Type.FAILED, cause.getMessage(), cause, failures, null);
        firstConnection.completeExceptionally(cause);
        release();
    }

    /** The failure as the client reports it; a refused host key or failed negotiation is also published as such. */
    private TunnelException classify(Throwable failure) {
        String refusal = hostKeys.takeRefusal();
        if (refusal != null) {
            publish(TunnelEvent.Type.HOST_KEY_REFUSED, refusal, null, 0, null);
            return new TunnelException(ErrorCode.SSH_ERROR, refusal, failure);
        }
        String noCommonAlgorithms = negotiationFailure.getAndSet(null);
        if (noCommonAlgorithms != null) {
            publish(TunnelEvent.Type.KEY_EXCHANGE_FAILED, noCommonAlgorithms, null, 0, null);
            return new TunnelException(ErrorCode.SSH_ERROR, noCommonAlgorithms, failure);
        }
        Throwable root = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (root instanceof java.util.concurrent.TimeoutException) {
            return new TunnelException(ErrorCode.REQUEST_TIMEOUT,
                    "no tunnel within " + config.connectTimeout().toSeconds() + " s", root);
        }
        if (root instanceof org.apache.sshd.common.SshException ssh
                && ssh.getDisconnectCode() == org.apache.sshd.common.SshConstants.SSH2_DISCONNECT_KEY_EXCHANGE_FAILED
                && String.valueOf(ssh.getMessage()).startsWith("KeyExchange")) {
            // the server's host key or certificate did not verify (a bad signature, a certificate for another host, ...)
            String refused = "Host key of " + config.server().getHost() + " refused: " + ssh.getMessage();
            publish(TunnelEvent.Type.HOST_KEY_REFUSED, refused, null, 0, null);
            return new TunnelException(ErrorCode.SSH_ERROR, refused, root);
        }
        if (root instanceof org.apache.sshd.common.SshException ssh && ssh.getMessage() != null
                && ssh.getMessage().contains("authentication")) {
            return new TunnelException(ErrorCode.AUTHENTICATION_FAILED, "SSH login refused: " + ssh.getMessage(), root);
        }
        return TunnelException.wrap(root, ErrorCode.SERVER_UNAVAILABLE);
    }

    /** Failures that retrying with the same credentials and trust cannot fix. */
    private static boolean isFatal(TunnelException cause) {
        return switch (cause.code()) {
            case AUTHENTICATION_FAILED, TOKEN_EXPIRED, CONFIGURATION_ERROR, FORBIDDEN, TLS_REQUIRED, TLS_HANDSHAKE_FAILED,
                    TLS_PIN_MISMATCH -> true;
            case SSH_ERROR -> cause.detail().startsWith("Host key") || cause.detail().startsWith("SSH negotiation failed");
            default -> false;
        };
    }

    private void publish(TunnelEvent.Type type, String detail, @Nullable Throwable cause, int attempt,
            @Nullable Duration retryIn) {
        String endpoint = lane == null ? config.server().toString() : config.server() + " (session " + (lane.index() + 1)
                + " of " + config.sessions() + ")";
        events.publish(type, endpoint, user, null, detail, cause, attempt, retryIn);
    }

    /** Host keys announced by the server into events. */
    private final class HostKeyOutcome implements HostKeyUpdates.Outcome {
        @Override
        public void learned(ClientSession session, List<String> fingerprints, String where) {
            publish(TunnelEvent.Type.HOST_KEYS_LEARNED, "the server proved host keys " + String.join(", ", fingerprints) + "; "
                    + where, null, 0, null);
        }

        @Override
        public void refused(ClientSession session, List<String> fingerprints, String why) {
            publish(TunnelEvent.Type.HOST_KEY_REFUSED, "announced host keys " + String.join(", ", fingerprints)
                    + " not learned: " + why, null, 0, null);
        }
    }

    // ---- streams

    @Override
    public CompletableFuture<TunnelStream> openStream(String host, int port) {
        ClientSession current = session;
        if (current == null || state.get() != TunnelState.CONNECTED) {
            return CompletableFuture.failedFuture(new TunnelException(ErrorCode.SERVER_UNAVAILABLE,
                    "Not connected to " + config.server() + " (state " + state.get() + ")"));
        }
        StreamChannel channel = new StreamChannel(StreamChannel.DIRECT, host, port, "127.0.0.1", 0);
        return StreamOpener.open(current, channel, host + ":" + port);
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

    /** Moves to {@code next} unless a shutdown or a failure came in since the caller looked: those states are final. */
    private void moveTo(TunnelState next) {
        state.getAndUpdate(now -> now.isFinal() ? now : next);
    }

    private boolean isStopping() {
        return state.get().isFinal() || terminated.getCount() == 0;
    }

    @Override
    public void shutdown() {
        TunnelState previous = state.getAndSet(TunnelState.CLOSED);
        if (previous == TunnelState.CLOSED || previous == TunnelState.FAILED) {
            return;
        }
        scheduler.execute(() -> {
            if (pendingReconnect != null) {
                pendingReconnect.cancel(false);
            }
            ClientSession current = session;
            if (current == null) {
                closeNow();
                return;
            }
            for (ExposedService service : config.services()) {
                try {
                    current.writePacket(globalRequest(current, ServiceRegistrationHandler.CANCEL, service, false));
                } catch (IOException e) {
                    break;
                }
            }
            // closes as soon as the last stream ends, the session goes, or the shutdown timeout passes
            scheduler.schedule(this::closeNow, config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            current.addCloseFutureListener(closed -> onScheduler(this::closeNow));
            counters.whenNoStreams(() -> onScheduler(this::closeNow));
        });
    }

    /** Runs {@code task} on the scheduler, unless it has stopped (then the client has already terminated). */
    private void onScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            // terminated: nothing left to do
        }
    }

    @Override
    public void shutdownNow() {
        TunnelState previous = state.getAndSet(TunnelState.CLOSED);
        if (previous == TunnelState.FAILED) {
            return;
        }
        closeNow();
    }

    private synchronized void closeNow() {
        if (terminated.getCount() == 0) {
            return;
        }
        ClientSession current = session;
        if (current != null) {
            try {
                current.close(false).await(Duration.ofSeconds(2));
            } catch (IOException e) {
                // closing anyway below
            }
            current.close(true);
        }
        publish(TunnelEvent.Type.CLOSED, "shut down", null, 0, null);
        firstConnection.completeExceptionally(new TunnelException(ErrorCode.SERVER_UNAVAILABLE, "client shut down"));
        release();
    }

    private synchronized void release() {
        if (terminated.getCount() == 0) {
            return;
        }
        ssh.close(true);
        transport.close();
        if (localAgent != null) {
            localAgent.close();
        }
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
}
