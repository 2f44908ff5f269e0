package online.cloudtolocalllm.tunnel.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.server.session.ServerSession;
import org.jspecify.annotations.Nullable;

/**
 * The routing table: user and service name to the session serving it. A new registration of the same name by the
 * same user replaces the old one, so a client that reconnects before its dead session is noticed gets its name
 * back at once; removing a session's routes never touches routes another session took over.
 */
final class ServiceRegistry {
    private final Map<String, Map<String, ServiceRoute>> byUser = new ConcurrentHashMap<>();

    /** Registers {@code route}; returns the route it replaced, if any. */
    @Nullable ServiceRoute register(ServiceRoute route) {
        return byUser.computeIfAbsent(route.user(), u -> new ConcurrentHashMap<>()).put(route.service(), route);
    }

    /** Removes {@code user}'s {@code service} if {@code session} still serves it. */
    @Nullable ServiceRoute unregister(String user, String service, ServerSession session) {
        Map<String, ServiceRoute> services = byUser.get(user);
        if (services == null) {
            return null;
        }
        ServiceRoute route = services.get(service);
        return route != null && route.session() == session && services.remove(service, route) ? route : null;
    }

    /** Removes every route {@code session} still serves. */
    List<ServiceRoute> removeSession(ServerSession session) {
        List<ServiceRoute> removed = new ArrayList<>();
        byUser.values().forEach(services -> services.values().removeIf(route -> {
            boolean mine = route.session() == session;
            if (mine) {
                removed.add(route);
            }
            return mine;
        }));
        return removed;
    }

    Optional<ServiceRoute> find(String user, String service) {
        Map<String, ServiceRoute> services = byUser.get(user);
        return services == null ? Optional.empty() : Optional.ofNullable(services.get(service));
    }

    boolean hasUser(String user) {
        Map<String, ServiceRoute> services = byUser.get(user);
        return services != null && !services.isEmpty();
    }

    /** The names of the services {@code session} serves. */
    List<String> servicesOf(ServerSession session) {
        List<String> names = new ArrayList<>();
        byUser.values().forEach(services -> services.values().stream()
                .filter(route -> route.session() == session).forEach(route -> names.add(route.service())));
        return names;
    }
}
