package online.cloudtolocalllm.tunnel.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import online.cloudtolocalllm.tunnel.spi.ServerHostContext;
import online.cloudtolocalllm.tunnel.transport.websocket.NettyWebSocketUpgrade;

/** What every connection handler of one host shares: the server, the upgrade settings, the accepting flag. */
final class HostState {
    private final ServerHostContext context;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final NettyWebSocketUpgrade.Settings upgradeSettings;
    private final TokenCache tokens;
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tunnel-server-pools").factory());
    private final UpstreamPools upstreams;
    private final RouteReturns routeReturns;
    private volatile boolean accepting = true;

    HostState(ServerHostContext context) {
        this.context = context;
        this.tokens = new TokenCache(context.config().clock());
        this.upstreams = new UpstreamPools(context.server(), context.config().ingressPool(), context.config().clock(),
                maintenance);
        this.routeReturns = new RouteReturns(context.server(), context.config().ingressReconnectWait(),
                context.config().clock(), maintenance);
        this.upgradeSettings = new NettyWebSocketUpgrade.Settings(context.config().maxFrameSize(),
                context.config().keepAliveInterval(), context.config().keepAliveTimeout(), blocking);
    }

    ServerHostContext context() {
        return context;
    }

    /** The pools of connections ingress reuses. */
    UpstreamPools upstreams() {
        return upstreams;
    }

    /** Services whose clients are reconnecting, which ingress waits for. */
    RouteReturns routeReturns() {
        return routeReturns;
    }

    /** Bearer tokens ingress verified recently. */
    TokenCache tokens() {
        return tokens;
    }

    /** Where work that may block (token checks against a JWKS URL) runs, off the event loops. */
    ExecutorService blocking() {
        return blocking;
    }

    NettyWebSocketUpgrade.Settings upgradeSettings() {
        return upgradeSettings;
    }

    boolean accepting() {
        return accepting;
    }

    /** Takes no new work; pooled idle upstreams close now so that draining waits only for exchanges in flight. */
    void stopAccepting() {
        accepting = false;
        upstreams.close();
    }

    void close() {
        upstreams.close();
        maintenance.shutdownNow();
        blocking.shutdownNow();
    }
}
