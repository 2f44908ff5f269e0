package online.cloudtolocalllm.tunnel.testing;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.Identity;
import online.cloudtolocalllm.tunnel.spi.TunnelAcceptor;
import online.cloudtolocalllm.tunnel.spi.UpgradeRequest;

/**
 * Connects clients to servers in the same JVM, by name: a server bound as {@code name} is dialled at
 * {@code mem://name}. The handshake goes through the server's {@link TunnelAcceptor} like a WebSocket upgrade.
 */
public final class InMemoryTransport {
    private static final Map<String, TunnelAcceptor> SERVERS = new ConcurrentHashMap<>();

    private InMemoryTransport() {
    }

    /** Makes {@code server} reachable at {@code mem://name}; returns that URI. */
    public static URI bind(String name, TunnelServer server) {
        if (SERVERS.putIfAbsent(name, TunnelAcceptor.of(server)) != null) {
            throw new IllegalStateException("Name already bound: " + name);
        }
        return URI.create("mem://" + name + "/tunnel");
    }

    public static void unbind(String name) {
        SERVERS.remove(name);
    }

    static CompletableFuture<FrameConnection> connect(URI uri, Map<String, String> headers) {
        TunnelAcceptor acceptor = SERVERS.get(uri.getHost());
        if (acceptor == null) {
            return CompletableFuture.failedFuture(new TunnelException(ErrorCode.SERVER_UNAVAILABLE,
                    "No in-memory server bound as '" + uri.getHost() + "'"));
        }
        MemoryFrameConnection[] ends = MemoryFrameConnection.pair(uri.getHost());
        Map<String, List<String>> headerLists = new java.util.HashMap<>();
        headers.forEach((name, value) -> headerLists.put(name, List.of(value)));
        UpgradeRequest request = new UpgradeRequest(uri.getPath(), Map.of(), headerLists, ends[0].localAddress());
        try {
            Identity identity = acceptor.authenticate(request);
            acceptor.accept(ends[1], identity);
        } catch (TunnelException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture(ends[0]);
    }
}
