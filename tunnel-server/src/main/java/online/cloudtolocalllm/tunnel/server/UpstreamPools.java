package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import online.cloudtolocalllm.tunnel.api.PoolSettings;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.pool.Lease;
import online.cloudtolocalllm.tunnel.pool.Pool;
import online.cloudtolocalllm.tunnel.pool.PoolFactory;
import online.cloudtolocalllm.tunnel.pool.PoolMetrics;

/**
 * Ingress's pools of {@link Upstream} connections, one per user, service and event loop (an upstream lives on one
 * loop), created on first use and from then on kept at their minimum idle size by the maintenance task. A pool goes
 * away with its route, so a service that moved to a newer session is never reached through connections kept for the
 * old one.
 */
final class UpstreamPools implements AutoCloseable {
    private record Key(EventLoop loop, String user, String service) {
    }

    private final TunnelServer server;
    private final PoolSettings settings;
    private final java.time.Clock clock;
    private final ScheduledExecutorService maintenance;
    private final Map<Key, Pool<Upstream>> pools = new ConcurrentHashMap<>();

    UpstreamPools(TunnelServer server, PoolSettings settings, java.time.Clock clock, ScheduledExecutorService maintenance) {
        this.server = server;
        this.settings = settings;
        this.clock = clock;
        this.maintenance = maintenance;
        server.addListener(event -> {
            if (event.type() == TunnelEvent.Type.SERVICE_UNREGISTERED && event.user() != null && event.service() != null) {
                dropRoute(event.user(), event.service());
            }
        });
    }

    /**
     * A lease on a connection to {@code target}'s service, usable on {@code loop}. A pool is made only for a service
     * that is exposed: a name made up per request must not leave a pool (and its maintenance) behind each time.
     */
    CompletableFuture<Lease<Upstream>> acquire(EventLoop loop, ByteBufAllocator alloc, IngressTarget target) {
        Key key = new Key(loop, target.user(), target.service());
        Pool<Upstream> existing = pools.get(key);
        if (existing != null) {
            return existing.acquire();
        }
        if (!server.exposes(target.user(), target.service())) {
            // fails as a stream to a missing service does; if the service came in the meantime, serve it pooled
            return server.openStream(target.user(), target.service()).thenCompose(stream -> {
                stream.close();
                return acquire(loop, alloc, target);
            });
        }
        return pool(key, alloc, target).acquire();
    }

    private Pool<Upstream> pool(Key key, ByteBufAllocator alloc, IngressTarget target) {
        EventLoop loop = key.loop();
        Pool<Upstream> created = Pool.builder("ingress " + key.user() + "/" + key.service(),
                        new UpstreamFactory(loop, alloc, server, target))
                .minIdle(settings.minIdle())
                .maxSize(settings.maxSize())
                .maxAge(settings.maxAge())
                .maxIdle(settings.maxIdle())
                .clock(clock)
                .maintenance(maintenance, java.time.Duration.ofSeconds(30))
                .build();
        Pool<Upstream> raced = pools.putIfAbsent(key, created);
        if (raced != null) {
            created.close();
            return raced;
        }
        if (settings.minIdle() > 0) {
            created.maintain(); // warm up now rather than at the first maintenance pass
        }
        return created;
    }

    private void dropRoute(String user, String service) {
        pools.entrySet().removeIf(entry -> {
            boolean mine = entry.getKey().user().equals(user) && entry.getKey().service().equals(service);
            if (mine) {
                entry.getValue().close();
            }
            return mine;
        });
    }

    /** The pools' counters added up. */
    Totals totals() {
        int size = 0;
        int idle = 0;
        int inUse = 0;
        long created = 0;
        long reused = 0;
        for (Pool<Upstream> pool : pools.values()) {
            PoolMetrics metrics = pool.metrics();
            size += metrics.size();
            idle += metrics.idle();
            inUse += metrics.inUse();
            created += metrics.created();
            reused += metrics.reused();
        }
        return new Totals(pools.size(), size, idle, inUse, created, reused);
    }

    /** What {@code /healthz} reports of the pools: how many, their connections, and how often they were reused. */
    record Totals(int pools, int size, int idle, int inUse, long created, long reused) {
        String toJson() {
            long leases = created + reused;
            return String.format(java.util.Locale.ROOT,
                    "{\"pools\":%d,\"size\":%d,\"idle\":%d,\"inUse\":%d,\"created\":%d,\"reused\":%d,\"reuseRate\":%.3f}",
                    pools, size, idle, inUse, created, reused, leases == 0 ? 0.0 : (double) reused / leases);
        }
    }

    @Override
    public void close() {
        pools.values().forEach(Pool::close);
        pools.clear();
    }

    /** Opens upstreams on one loop; an upstream is healthy while the service keeps it alive. */
    private record UpstreamFactory(EventLoop loop, ByteBufAllocator alloc, TunnelServer server, IngressTarget target)
            implements PoolFactory<Upstream> {
        @Override
        public CompletableFuture<Upstream> create() {
            return Upstream.open(loop, alloc, server, target);
        }

        @Override
        public CompletableFuture<Boolean> isHealthy(Upstream upstream) {
            return CompletableFuture.completedFuture(upstream.reusable());
        }

        @Override
        public void destroy(Upstream upstream) {
            if (loop.inEventLoop()) {
                upstream.close();
            } else {
                loop.execute(upstream::close);
            }
        }
    }
}
