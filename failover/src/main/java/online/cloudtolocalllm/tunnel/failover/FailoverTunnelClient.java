package online.cloudtolocalllm.tunnel.failover;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.SessionCrypto;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelListener;
import online.cloudtolocalllm.tunnel.api.TunnelMetrics;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TunnelClient} over several endpoints. It keeps one live session (an ordinary tunnel client whose
 * keepalive notices a silent server within the detect timeout), checks the other endpoints' health, and moves to
 * the best healthy one when the live session is lost or its server drains; when draining, it connects to the new
 * endpoint before letting the old session go, so streams on the old one finish there. Forward streams asked for
 * while no session is live wait in a bounded queue. Once a preferred endpoint has been healthy for the failback
 * delay, the client moves back to it the same way. Each move is an event and a log line with its cause, both
 * endpoints and how long it took.
 *
 * <pre>{@code
 * FailoverTunnelClient client = FailoverTunnelClient.create(FailoverConfig.builder(TunnelClientConfig.builder()
 *                 .server("ws://a.example.com:8080").token(jwt).hostKeys(HostKeyPolicy.pinned(keyA, keyB))
 *                 .expose("llm", "127.0.0.1", 11434).build())
 *         .endpoint(URI.create("ws://a.example.com:8080"), 0, 1)
 *         .endpoint(URI.create("ws://b.example.com:8080"), 1, 1)
 *         .build());
 * client.start().join();
 * }</pre>
 * All decisions run on one scheduler thread, in order.
 */
public final class FailoverTunnelClient implements TunnelClient {
    private static final Duration TICK = Duration.ofMillis(100);

    /** One endpoint's connection. */
    private record Connection(Endpoint endpoint, TunnelClient client) {
    }

    /** A move in progress: why, from where (null at start), since when. */
    private record Move(String cause, @Nullable Endpoint from, Instant since, boolean failback) {
    }

    private final FailoverConfig config;
    private final Function<TunnelClientConfig, TunnelClient> connections;
    private final Clock clock;
    private final HealthBoard board;
    private final EndpointSelector selector;
    private final Failback failback;
    private final StreamQueue queue;
    private final FailoverEvents events;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tunnel-failover").factory());
    private final AtomicReference<TunnelState> state = new AtomicReference<>(TunnelState.IDLE);
    private final CompletableFuture<TunnelClient> firstConnection = new CompletableFuture<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicReference<TunnelMetrics> retiredMetrics = new AtomicReference<>(TunnelMetrics.EMPTY);
    private final List<Connection> leaving = new CopyOnWriteArrayList<>();
    // scheduler thread only
    private final Set<Endpoint> checking = new HashSet<>();
    private final Map<Endpoint, TunnelException> refusals = new HashMap<>();
    private @Nullable Move move;
    private boolean waitingAnnounced;
    // read by callers' threads too
    private volatile @Nullable Connection live;
    private volatile boolean liveDraining;
    private volatile @Nullable Connection joining;

    private FailoverTunnelClient(FailoverConfig config, Function<TunnelClientConfig, TunnelClient> connections) {
        this.config = config;
        this.connections = connections;
        this.clock = config.clock();
        this.board = new HealthBoard(config.endpoints(), clock.instant());
        this.selector = new EndpointSelector(config.random());
        this.failback = new Failback(config.failbackDelay(), selector);
        this.queue = new StreamQueue(config.queueSize(), config.queueDeadline(), clock);
        this.events = new FailoverEvents(config.client().listeners(), clock, config.client().user().orElse(null));
    }

    /** A new, not yet started failover client; each endpoint's connection is made by the runtime on the path. */
    public static FailoverTunnelClient create(FailoverConfig config) {
        return new FailoverTunnelClient(config, TunnelClient::create);
    }

    /** The settings every endpoint's connection shares. */
    @Override
    public TunnelClientConfig config() {
        return config.client();
    }

    public FailoverConfig failoverConfig() {
        return config;
    }

    /** Where the client is now: state, live endpoint, target of a move, queued streams, every endpoint's health. */
    public FailoverStatus status() {
        Connection current = live;
        Connection target = joining;
        return new FailoverStatus(state.get(), current == null ? null : current.endpoint(),
                target == null ? null : target.endpoint(), queue.size(), board.snapshot());
    }

    @Override
    public CompletableFuture<TunnelClient> start() {
        if (state.compareAndSet(TunnelState.IDLE, TunnelState.CONNECTING)) {
            try {
                scheduler.execute(this::connectBest);
                scheduler.scheduleWithFixedDelay(this::checkHealth, 0, config.healthCheckInterval().toMillis(), TimeUnit.MILLISECONDS);
                scheduler.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shutDownMeanwhile) {
                // a shutdown during the first decision stopped the scheduler, and has failed the first connection
            }
        }
        return firstConnection.copy();
    }

    @Override
    public TunnelState state() {
        return state.get();
    }

    /** The algorithms the live session negotiated; empty while no session is live. */
    @Override
    public Optional<SessionCrypto> crypto() {
        Connection current = live;
        return current == null ? Optional.empty() : current.client().crypto();
    }

    // ---- choosing and connecting, on the scheduler thread

    private void connectBest() {
        Connection current = live;
        if (joining != null || isStopping() || (current != null && !liveDraining)) {
            return;
        }
        List<Endpoint> candidates = config.endpoints().stream()
                .filter(board::usable)
                .filter(endpoint -> !refusals.containsKey(endpoint))
                .filter(endpoint -> current == null || !endpoint.equals(current.endpoint()))
                .toList();
        Optional<Endpoint> chosen = selector.choose(candidates);
        if (chosen.isEmpty()) {
            if (current == null) {
                moveTo(TunnelState.RECONNECTING);
            }
            if (current == null && !waitingAnnounced) {
                waitingAnnounced = true;
                events.publish(TunnelEvent.Type.RECONNECTING, "-", "no healthy endpoint; checking every "
                        + config.healthCheckInterval().toMillis() + " ms", null, config.healthCheckInterval());
            }
            return;
        }
        if (move == null) {
            move = new Move("start", null, clock.instant(), false);
        }
        if (current == null) {
            moveTo(TunnelState.CONNECTING);
        }
        try {
            joining = connect(chosen.get());
        } catch (RuntimeException e) {
            fail(TunnelException.wrap(e, ErrorCode.CONFIGURATION_ERROR));
        }
    }

    private Connection connect(Endpoint endpoint) {
        AtomicReference<@Nullable Connection> self = new AtomicReference<>();
        TunnelClientConfig endpointConfig = config.forEndpoint(endpoint).toBuilder()
                .listener(event -> onScheduler(() -> onConnectionEvent(Objects.requireNonNull(self.get()), event)))
                .build();
        Connection connection = new Connection(endpoint, connections.apply(endpointConfig));
        self.set(connection);
        connection.client().start();
        return connection;
    }

    private void onConnectionEvent(Connection connection, TunnelEvent event) {
        if (isStopping()) {
            return;
        }
        switch (event.type()) {
            case CONNECTED -> {
                if (connection == joining) {
                    promote(connection, event);
                }
            }
            case DISCONNECTED -> {
                if (connection == live) {
                    liveLost(connection, event);
                }
            }
            case FAILED -> {
                if (connection == joining) {
                    attemptFailed(connection, event);
                } else if (connection == live) {
                    liveLost(connection, event);
                }
            }
            case DRAINING -> {
                if (connection == live) {
                    liveDraining(connection, event);
                }
            }
            case CONNECTING, KEY_EXCHANGED, KEY_EXCHANGE_FAILED, HOST_KEY_REFUSED, HOST_KEYS_LEARNED, AGENT_FORWARDED,
                    AGENT_FORWARDING_ENDED, AGENT_FORWARDING_FAILED -> {
                if (connection == joining || connection == live) {
                    events.forward(event);
                }
            }
            default -> {
                // RECONNECTING and CLOSED of a connection are this client's business, not its listeners'
            }
        }
    }

    /** {@code connection} is up with every service registered: it becomes the live one, then the old one goes. */
    private void promote(Connection connection, TunnelEvent connected) {
        Connection old = live;
        joining = null;
        live = connection;
        liveDraining = false;
        waitingAnnounced = false;
        refusals.remove(connection.endpoint());
        markUp(connection.endpoint());
        moveTo(TunnelState.CONNECTED);
        events.forward(connected);
        Move done = move;
        move = null;
        if (done != null && done.from() != null) {
            long took = Duration.between(done.since(), clock.instant()).toMillis();
            String kind = done.failback() ? "failback" : "failover";
            events.publish(done.failback() ? TunnelEvent.Type.FAILBACK : TunnelEvent.Type.FAILOVER,
                    connection.endpoint().uri().toString(), kind + " from " + done.from().uri() + " to "
                            + connection.endpoint().uri() + " in " + took + " ms; cause: " + done.cause(), null, null);
        }
        if (old != null) {
            retire(old, true);
        }
        drainQueue();
        firstConnection.complete(this);
    }

    private void liveLost(Connection connection, TunnelEvent event) {
        live = null;
        liveDraining = false;
        events.forward(event);
        String cause = "connection to " + connection.endpoint().uri() + " lost: " + event.detail();
        markDown(connection.endpoint(), cause);
        retire(connection, false);
        moveTo(TunnelState.RECONNECTING);
        if (move == null || move.failback()) {
            move = new Move(cause, connection.endpoint(), clock.instant(), false);
        }
        connectBest();
    }

    /** The live server is shutting down: connect elsewhere first, then let it go (make-before-break). */
    private void liveDraining(Connection connection, TunnelEvent event) {
        events.forward(event);
        liveDraining = true;
        String cause = connection.endpoint().uri() + " is draining";
        markDown(connection.endpoint(), cause);
        if (joining == null) {
            move = new Move(cause, connection.endpoint(), clock.instant(), false);
            connectBest();
        }
    }

    private void attemptFailed(Connection connection, TunnelEvent event) {
        joining = null;
        retire(connection, false);
        TunnelException cause = event.cause() instanceof TunnelException coded ? coded
                : new TunnelException(ErrorCode.SERVER_UNAVAILABLE, event.detail(), event.cause());
        markDown(connection.endpoint(), "connection refused: " + cause.getMessage());
        if (isRefusal(cause)) {
            refusals.put(connection.endpoint(), cause);
            if (refusals.keySet().containsAll(config.endpoints())) {
                fail(new TunnelException(cause.code(), "every endpoint refused this client; last: " + cause.detail(), cause));
                return;
            }
        }
        if (move != null && move.failback() && live != null) {
            move = null;
            return;
        }
        connectBest();
    }

    /** Failures that the same credentials and trust will meet again at that endpoint. */
    private static boolean isRefusal(TunnelException cause) {
        return switch (cause.code()) {
            case AUTHENTICATION_FAILED, TOKEN_EXPIRED, CONFIGURATION_ERROR, FORBIDDEN -> true;
            case SSH_ERROR -> cause.getMessage().contains("Host key");
            default -> false;
        };
    }

    // ---- health, on the scheduler thread

    private void checkHealth() {
        for (Endpoint endpoint : config.endpoints()) {
            if (isLiveAndServing(endpoint) || !checking.add(endpoint)) {
                continue;
            }
            config.healthCheck().check(endpoint).exceptionally(failure -> false)
                    .thenAccept(up -> onScheduler(() -> {
                        checking.remove(endpoint);
                        onHealth(endpoint, up);
                    }));
        }
    }

    /** The live endpoint's health is its keepalive, not its health check. */
    private boolean isLiveAndServing(Endpoint endpoint) {
        Connection current = live;
        return current != null && !liveDraining && current.endpoint().equals(endpoint);
    }

    private void onHealth(Endpoint endpoint, boolean up) {
        if (isStopping() || isLiveAndServing(endpoint)) {
            return;
        }
        if (up) {
            markUp(endpoint);
        } else {
            markDown(endpoint, "health check of " + endpoint.healthUri() + " failed");
        }
        Connection current = live;
        if (current == null || liveDraining) {
            connectBest();
        } else if (joining == null) {
            Instant now = clock.instant();
            failback.target(current.endpoint(), config.endpoints(), board, now)
                    .filter(target -> !refusals.containsKey(target))
                    .ifPresent(target -> {
                        move = new Move(target.uri() + " healthy for " + failback.delay().toMillis() + " ms",
                                current.endpoint(), now, true);
                        joining = connect(target);
                    });
        }
    }

    private void markUp(Endpoint endpoint) {
        if (board.record(endpoint, true, clock.instant())) {
            events.publish(TunnelEvent.Type.ENDPOINT_UP, endpoint.uri().toString(), "healthy", null, null);
        }
    }

    private void markDown(Endpoint endpoint, String why) {
        if (board.record(endpoint, false, clock.instant())) {
            events.publish(TunnelEvent.Type.ENDPOINT_DOWN, endpoint.uri().toString(), why, null, null);
        }
    }

    // ---- streams

    @Override
    public CompletableFuture<TunnelStream> openStream(String host, int port) {
        if (isStopping()) {
            return CompletableFuture.failedFuture(shutDown());
        }
        Connection current = live;
        if (current == null || liveDraining) {
            return enqueue(host, port);
        }
        return current.client().openStream(host, port).exceptionallyCompose(failure ->
                openedNothing(failure) ? enqueue(host, port) : CompletableFuture.failedFuture(failure));
    }

    /**
     * Whether the stream failed to open because its session was going away (the session's error, not the target's
     * refusal or the policy's): nothing reached the target, so it can wait for the next session.
     */
    private static boolean openedNothing(Throwable failure) {
        ErrorCode code = TunnelException.wrap(failure, ErrorCode.SSH_ERROR).code();
        return code == ErrorCode.SSH_ERROR || code == ErrorCode.SERVER_UNAVAILABLE;
    }

    private CompletableFuture<TunnelStream> enqueue(String host, int port) {
        CompletableFuture<TunnelStream> result = queue.add(host, port);
        onScheduler(this::drainQueue);
        return result;
    }

    /**
     * Opens the queued streams on the live session. One that fails because that session is going away waits again
     * (until its deadline); any other failure is the caller's answer.
     */
    private void drainQueue() {
        Connection current = live;
        if (current == null || liveDraining) {
            return;
        }
        for (StreamQueue.Pending pending : queue.takeAll()) {
            current.client().openStream(pending.host(), pending.port()).whenComplete((stream, failure) -> {
                if (failure == null) {
                    if (!pending.result().complete(stream)) {
                        stream.close();
                    }
                } else if (openedNothing(failure)) {
                    queue.putBack(pending);
                } else {
                    pending.result().completeExceptionally(failure);
                }
            });
        }
    }

    /** Every tick: fail what waited too long, and hand what waits to the live session (a put-back stream, say). */
    private void tick() {
        queue.expire();
        if (queue.size() > 0) {
            drainQueue();
        }
    }

    @Override
    public TunnelMetrics metrics() {
        TunnelMetrics sum = retiredMetrics.get();
        for (Connection connection : connectionsNow()) {
            sum = sum.plus(connection.client().metrics());
        }
        return sum;
    }

    @Override
    public void addListener(TunnelListener listener) {
        events.add(listener);
    }

    // ---- lifecycle

    /** Lets {@code connection} go (gracefully: its streams finish first) and adds up its counters once it is gone. */
    private void retire(Connection connection, boolean graceful) {
        leaving.add(connection);
        if (graceful) {
            connection.client().shutdown();
        } else {
            connection.client().shutdownNow();
        }
        Thread.ofVirtual().name("tunnel-failover-retire").start(() -> {
            try {
                connection.client().awaitTermination(config.client().shutdownTimeout().plusSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            retiredMetrics.accumulateAndGet(connection.client().metrics(), TunnelMetrics::plus);
            leaving.remove(connection);
        });
    }

    private List<Connection> connectionsNow() {
        List<Connection> all = new ArrayList<>(leaving);
        Connection current = live;
        Connection target = joining;
        if (current != null) {
            all.add(current);
        }
        if (target != null) {
            all.add(target);
        }
        return all;
    }

    /**
     * Moves to {@code next} unless the client was shut down or failed meanwhile: those states are final, and a
     * decision the scheduler took just before {@link #shutdown} must not undo them.
     */
    private void moveTo(TunnelState next) {
        state.getAndUpdate(now -> now.isFinal() ? now : next);
    }

    private boolean isStopping() {
        return state.get().isFinal();
    }

    private TunnelException shutDown() {
        return new TunnelException(ErrorCode.SERVER_UNAVAILABLE, "The failover client is " + state.get());
    }

    private void fail(TunnelException cause) {
        state.set(TunnelState.FAILED);
        events.publish(TunnelEvent.Type.FAILED, "-", "cannot go on: " + cause.getMessage(), cause, null);
        firstConnection.completeExceptionally(cause);
        stop(false, false);
    }

    @Override
    public void shutdown() {
        TunnelState previous = state.getAndSet(TunnelState.CLOSED);
        if (previous != TunnelState.CLOSED && previous != TunnelState.FAILED) {
            onScheduler(() -> stop(true, true));
        }
    }

    @Override
    public void shutdownNow() {
        TunnelState previous = state.getAndSet(TunnelState.CLOSED);
        if (previous != TunnelState.CLOSED && previous != TunnelState.FAILED) {
            stop(false, true);
        }
    }

    /** Fails what waits, lets every connection go, and terminates once they are gone. */
    private synchronized void stop(boolean graceful, boolean closed) {
        if (terminated.getCount() == 0) {
            return;
        }
        TunnelException failure = shutDown();
        queue.failAll(failure);
        firstConnection.completeExceptionally(failure);
        Connection current = live;
        Connection target = joining;
        live = null;
        joining = null;
        if (current != null) {
            retire(current, graceful);
        }
        if (target != null) {
            retire(target, false);
        }
        List<Connection> going = List.copyOf(leaving);
        Thread.ofVirtual().name("tunnel-failover-stop").start(() -> {
            for (Connection connection : going) {
                try {
                    connection.client().awaitTermination(config.client().shutdownTimeout().plusSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (closed) {
                events.publish(TunnelEvent.Type.CLOSED, "-", "shut down", null, null);
            }
            scheduler.shutdownNow();
            terminated.countDown();
        });
    }

    private void onScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException terminatedAlready) {
            // shut down: nothing more to decide
        }
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
        return config.client().shutdownTimeout();
    }
}
