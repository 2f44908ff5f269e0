package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.server.session.ServerSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Routing with parallel sessions: lanes serve side by side, anything else takes the name over. */
class ServiceRegistryTest {
    private final ServiceRegistry registry = new ServiceRegistry();

    private static ServerSession session() {
        return (ServerSession) Proxy.newProxyInstance(ServerSession.class.getClassLoader(), new Class<?>[] {ServerSession.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "session@" + System.identityHashCode(proxy);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ServiceRoute route(ServerSession session, @Nullable Lane lane) {
        return new ServiceRoute("alice", "llm", session, "llm", 80, lane);
    }

    private List<ServerSession> servingInTurn(int picks) {
        List<ServerSession> picked = new ArrayList<>();
        for (int i = 0; i < picks; i++) {
            picked.add(registry.find("alice", "llm").orElseThrow().session());
        }
        return picked;
    }

    @Test
    void aClientsLanesServeSideBySideInTurn() {
        ServerSession first = session();
        ServerSession second = session();
        ServerSession third = session();
        assertThat(registry.register(route(first, new Lane("c1", 0)))).isEmpty();
        assertThat(registry.register(route(second, new Lane("c1", 1)))).isEmpty();
        assertThat(registry.register(route(third, new Lane("c1", 2)))).isEmpty();

        List<ServerSession> picked = servingInTurn(30);
        assertThat(picked).filteredOn(s -> s == first).hasSize(10);
        assertThat(picked).filteredOn(s -> s == second).hasSize(10);
        assertThat(picked).filteredOn(s -> s == third).hasSize(10);
    }

    @Test
    void aReconnectedLaneReplacesOnlyItsOldSession() {
        ServerSession lane0 = session();
        ServerSession lane1 = session();
        ServerSession lane1Again = session();
        registry.register(route(lane0, new Lane("c1", 0)));
        registry.register(route(lane1, new Lane("c1", 1)));

        List<ServiceRoute> replaced = registry.register(route(lane1Again, new Lane("c1", 1)));

        assertThat(replaced).extracting(ServiceRoute::session).containsExactly(lane1);
        assertThat(servingInTurn(4)).containsOnly(lane0, lane1Again);
    }

    @Test
    void anotherClientOrALanelessOneTakesTheNameOver() {
        ServerSession old0 = session();
        ServerSession old1 = session();
        registry.register(route(old0, new Lane("c1", 0)));
        registry.register(route(old1, new Lane("c1", 1)));
        ServerSession restarted = session();

        assertThat(registry.register(route(restarted, new Lane("c2", 0)))).extracting(ServiceRoute::session)
                .containsExactlyInAnyOrder(old0, old1);
        ServerSession openSsh = session();
        assertThat(registry.register(route(openSsh, null))).extracting(ServiceRoute::session).containsExactly(restarted);
        assertThat(servingInTurn(3)).containsOnly(openSsh);
    }

    @Test
    void aClosedSessionLeavesTheOtherLanesServing() {
        ServerSession lane0 = session();
        ServerSession lane1 = session();
        registry.register(route(lane0, new Lane("c1", 0)));
        registry.register(route(lane1, new Lane("c1", 1)));

        assertThat(registry.removeSession(lane0)).extracting(ServiceRoute::session).containsExactly(lane0);
        assertThat(servingInTurn(3)).containsOnly(lane1);
        assertThat(registry.unregister("alice", "llm", lane0)).as("already gone").isNull();
        assertThat(registry.unregister("alice", "llm", lane1)).isNotNull();
        assertThat(registry.find("alice", "llm")).isEmpty();
        assertThat(registry.hasUser("alice")).isFalse();
    }

    @Test
    void aSessionListsItsServices() {
        ServerSession one = session();
        registry.register(route(one, null));
        registry.register(new ServiceRoute("alice", "db", one, "db", 80, null));
        assertThat(registry.servicesOf(one)).containsExactlyInAnyOrder("llm", "db");
    }
}
