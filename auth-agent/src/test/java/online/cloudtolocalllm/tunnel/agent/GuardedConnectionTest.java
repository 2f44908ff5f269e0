package online.cloudtolocalllm.tunnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The guard in front of a conversation: policy, audit, and the idle timeout by an injected clock. */
class GuardedConnectionTest {
    private final MutableClock clock = new MutableClock();
    private final RecordingAudit audit = new RecordingAudit();
    private final FakeAgent agent = new FakeAgent();
    private final AgentGuard guard = new AgentGuard(AgentPolicy.DEFAULT, audit, null, clock, AgentAuditRecord.Side.SERVER);

    /** Answers every request with success and remembers what reached it; answers wait until released if told to. */
    private static final class FakeAgent implements AgentConnection {
        final List<byte[]> received = new ArrayList<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        CompletableFuture<byte[]> next = CompletableFuture.completedFuture(new byte[] {AgentMessages.SUCCESS});

        @Override
        public CompletableFuture<byte[]> request(byte[] message) {
            received.add(message);
            return next;
        }

        @Override
        public void close() {
            closed.complete(null);
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return closed;
        }
    }

    @Test
    void refusedOperationsNeverReachTheAgentAndAreAudited() {
        try (IdleMonitor idle = new IdleMonitor(clock, Duration.ofMinutes(5))) {
            GuardedConnection connection = guard.wrap(agent, "alice", "tool", idle);

            byte[] answer = connection.request(new byte[] {AgentMessages.REMOVE_ALL_IDENTITIES}).join();

            assertThat(answer).containsExactly(AgentMessages.FAILURE);
            assertThat(agent.received).isEmpty();
            assertThat(audit.all()).singleElement().satisfies(r -> {
                assertThat(r.operation()).isEqualTo(AgentOperation.REMOVE_ALL_IDENTITIES);
                assertThat(r.result()).isEqualTo(AgentAuditRecord.Result.REFUSED);
                assertThat(r.user()).isEqualTo("alice");
                assertThat(r.peer()).isEqualTo("tool");
                assertThat(r.side()).isEqualTo(AgentAuditRecord.Side.SERVER);
                assertThat(r.time()).isEqualTo(clock.instant());
                assertThat(r.detail()).isEqualTo("not allowed by the forwarding policy (allowed: [list, sign])");
            });
            connection.request(AgentMessages.requestIdentities());
            assertThat(agent.received).hasSize(1);
        }
    }

    @Test
    void aConversationClosesAfterFiveIdleMinutesNotBefore() {
        try (IdleMonitor idle = new IdleMonitor(clock, IdleMonitor.DEFAULT_TIMEOUT)) {
            GuardedConnection connection = guard.wrap(agent, "alice", "tool", idle);
            connection.request(AgentMessages.requestIdentities()).join();

            clock.advance(Duration.ofMinutes(5).minusMillis(1));
            assertThat(idle.closeIdle()).isZero();
            assertThat(agent.closed).isNotDone();

            clock.advance(Duration.ofMillis(1));
            assertThat(idle.closeIdle()).isOne();
            assertThat(agent.closed).isDone();
            assertThat(idle.live()).isZero();
        }
    }

    @Test
    void aRequestInFlightIsNeverIdle() {
        try (IdleMonitor idle = new IdleMonitor(clock, IdleMonitor.DEFAULT_TIMEOUT)) {
            GuardedConnection connection = guard.wrap(agent, "alice", "tool", idle);
            agent.next = new CompletableFuture<>(); // the user's agent is waiting for a confirmation
            CompletableFuture<byte[]> answer = connection.request(AgentMessages.requestIdentities());

            clock.advance(Duration.ofMinutes(30));
            assertThat(idle.closeIdle()).isZero();

            agent.next.complete(AgentMessages.identitiesAnswer(List.of()));
            assertThat(answer).isDone();
            clock.advance(Duration.ofMinutes(5));
            assertThat(idle.closeIdle()).isOne();
        }
    }
}
