package online.cloudtolocalllm.tunnel.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.server.session.ServerSession;
import org.jspecify.annotations.Nullable;

/**
 * The routing table: user and service name to the sessions serving it. A client's parallel sessions (its
 * {@link Lane lanes}) serve a service side by side and streams go to them in turn; any other registration of the
 * same name by the same user replaces the old routes, so a client that reconnects before its dead session is
 * noticed gets its name back at once. Removing a session's routes never touches routes another session took over.
 */
final class ServiceRegistry {
    private record Key(String user, String service) {
    }

    private final Map<Key, List<ServiceRoute>> routes = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();

    /** Registers {@code route}; returns the routes it replaced. */
    List<ServiceRoute> register(ServiceRoute route) {
        List<ServiceRoute> replaced = new ArrayList<>();
        routes.compute(new Key(route.user(), route.service()), (key, current) -> {
            List<ServiceRoute> kept = new ArrayList<>();
            for (ServiceRoute existing : current == null ? List.<ServiceRoute>of() : current) {
                (route.servesBeside(existing) ? kept : replaced).add(existing);
            }
            kept.add(route);
            return List.copyOf(kept);
        });
        return replaced;
    }

    /** Removes {@code user}'s {@code service} from {@code session} if it still serves it. */
    @Nullable ServiceRoute unregister(String user, String service, ServerSession session) {
        List<ServiceRoute> removed = new ArrayList<>();
        routes.computeIfPresent(new Key(user, service), (key, current) -> without(current, session, removed));
        return removed.isEmpty() ? null : removed.getFirst();
    }

    /** Removes every route {@code session} still serves. */
    List<ServiceRoute> removeSession(ServerSession session) {
        List<ServiceRoute> removed = new ArrayList<>();
        routes.keySet().forEach(key -> routes.computeIfPresent(key, (k, current) -> without(current, session, removed)));
        return removed;
    }

    private static @Nullable List<ServiceRoute> without(List<ServiceRoute> current, ServerSession session,
            List<ServiceRoute> removed) {
        List<ServiceRoute> kept = new ArrayList<>();
        for (ServiceRoute route : current) {
            (route.session() == session ? removed : kept).add(route);
        }
        return kept.isEmpty() ? null : List.copyOf(kept);
    }

    /** A session serving {@code user}'s {@code service}, taking the serving sessions in turn. */
    Optional<ServiceRoute> find(String user, String service) {
        List<ServiceRoute> serving = routes.get(new Key(user, service));
        if (serving == null) {
            return Optional.empty();
        }
        return Optional.of(serving.size() == 1 ? serving.getFirst()
                : serving.get(Math.floorMod(turn.getAndIncrement(), serving.size())));
    }

    /** Whether some session serves {@code user}'s {@code service}. */
    boolean serves(String user, String service) {
        return routes.containsKey(new Key(user, service));
    }

    boolean hasUser(String user) {
        return routes.keySet().stream().anyMatch(key -> key.user().equals(user));
    }

    /** The names of the services {@code session} serves. */
    List<String> servicesOf(ServerSession session) {
        List<String> names = new ArrayList<>();
        routes.values().forEach(serving -> serving.stream()
                .filter(route -> route.session() == session).forEach(route -> names.add(route.service())));
        return names;
    }
}
