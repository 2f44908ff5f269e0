package online.cloudtolocalllm.tunnel.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.spi.ServerHostContext;
import online.cloudtolocalllm.tunnel.transport.websocket.NettyWebSocketUpgrade;

/** What every connection handler of one host shares: the server, the upgrade settings, the accepting flag. */
final class HostState {
    private final ServerHostContext context;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final NettyWebSocketUpgrade.Settings upgradeSettings;
    private final Map<String, Long> routeGenerations = new ConcurrentHashMap<>();
    private final TokenCache tokens;
    private volatile boolean accepting = true;

    HostState(ServerHostContext context) {
        this.context = context;
        this.tokens = new TokenCache(context.config().clock());
        context.server().addListener(event -> {
            if (event.type() == TunnelEvent.Type.SERVICE_UNREGISTERED && event.user() != null && event.service() != null) {
                routeGenerations.merge(event.user() + "/" + event.service(), 1L, Long::sum);
            }
        });
        this.upgradeSettings = new NettyWebSocketUpgrade.Settings(context.config().maxFrameSize(),
                context.config().keepAliveInterval(), context.config().keepAliveTimeout(), blocking);
    }

    ServerHostContext context() {
        return context;
    }

    /**
     * How many times {@code user}'s {@code service} has gone away (unregistered or taken over by a newer session):
     * a kept upstream connection is reused only while this has not changed since it was opened.
     */
    long routeGeneration(String user, String service) {
        return routeGenerations.getOrDefault(user + "/" + service, 0L);
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

    void stopAccepting() {
        accepting = false;
    }

    void close() {
        blocking.shutdownNow();
    }
}
