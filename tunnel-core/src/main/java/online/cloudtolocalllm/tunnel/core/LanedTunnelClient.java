package online.cloudtolocalllm.tunnel.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import online.cloudtolocalllm.tunnel.api.SessionCrypto;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelListener;
import online.cloudtolocalllm.tunnel.api.TunnelMetrics;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.api.TunnelStream;

/**
 * A client that keeps {@link TunnelClientConfig#sessions()} parallel sessions to the server, each one a
 * {@link DefaultTunnelClient} in its own {@link Lane} that connects, registers every service and reconnects on its
 * own. It is connected while any lane is; forward streams go to the connected lanes in turn.
 */
final class LanedTunnelClient implements TunnelClient {
    private final TunnelClientConfig config;
    private final List<DefaultTunnelClient> lanes;
    private final AtomicInteger turn = new AtomicInteger();

    LanedTunnelClient(TunnelClientConfig config) {
        this.config = config;
        String clientId = UUID.randomUUID().toString();
        this.lanes = IntStream.range(0, config.sessions())
                .mapToObj(index -> new DefaultTunnelClient(config, new Lane(clientId, index))).toList();
    }

    @Override
    public TunnelClientConfig config() {
        return config;
    }

    /** Completes once the first lane is connected; fails only if every lane fails. */
    @Override
    public CompletableFuture<TunnelClient> start() {
        CompletableFuture<TunnelClient> first = new CompletableFuture<>();
        AtomicInteger failed = new AtomicInteger();
        for (DefaultTunnelClient lane : lanes) {
            lane.start().whenComplete((connected, failure) -> {
                if (failure == null) {
                    first.complete(this);
                } else if (failed.incrementAndGet() == lanes.size()) {
                    first.completeExceptionally(failure);
                }
            });
        }
        return first;
    }

    @Override
    public TunnelState state() {
        List<TunnelState> states = lanes.stream().map(DefaultTunnelClient::state).toList();
        if (states.contains(TunnelState.CONNECTED)) {
            return TunnelState.CONNECTED;
        }
        return states.stream().distinct().count() == 1 ? states.getFirst()
                : states.stream().filter(s -> s != TunnelState.FAILED && s != TunnelState.CLOSED).findFirst()
                        .orElse(TunnelState.FAILED);
    }

    /** The algorithms of the first connected lane (every lane negotiates with the same configuration). */
    @Override
    public Optional<SessionCrypto> crypto() {
        return lanes.stream().map(DefaultTunnelClient::crypto).flatMap(Optional::stream).findFirst();
    }

    @Override
    public CompletableFuture<TunnelStream> openStream(String host, int port) {
        for (int tried = 0; tried < lanes.size(); tried++) {
            DefaultTunnelClient lane = lanes.get(Math.floorMod(turn.getAndIncrement(), lanes.size()));
            if (lane.state() == TunnelState.CONNECTED) {
                return lane.openStream(host, port);
            }
        }
        return lanes.getFirst().openStream(host, port);
    }

    @Override
    public TunnelMetrics metrics() {
        return lanes.stream().map(DefaultTunnelClient::metrics).reduce(TunnelMetrics.EMPTY, TunnelMetrics::plus);
    }

    @Override
    public void addListener(TunnelListener listener) {
        lanes.forEach(lane -> lane.addListener(listener));
    }

    @Override
    public void shutdown() {
        lanes.forEach(DefaultTunnelClient::shutdown);
    }

    @Override
    public void shutdownNow() {
        lanes.forEach(DefaultTunnelClient::shutdownNow);
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (DefaultTunnelClient lane : lanes) {
            long left = deadline - System.nanoTime();
            if (!lane.awaitTermination(Duration.ofNanos(Math.max(0, left)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isTerminated() {
        return lanes.stream().allMatch(DefaultTunnelClient::isTerminated);
    }

    @Override
    public Duration shutdownTimeout() {
        return config.shutdownTimeout();
    }
}
