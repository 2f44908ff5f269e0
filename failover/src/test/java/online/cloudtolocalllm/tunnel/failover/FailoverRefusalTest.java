package online.cloudtolocalllm.tunnel.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A client every endpoint refuses (a bad token) gives up with that code instead of trying forever. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailoverRefusalTest {
    @TempDir
    Path dir;

    @Test
    void whenEveryEndpointRefusesTheClientFailsWithTheRefusal() throws Exception {
        try (TestServer a = TestServer.start(dir.resolve("a")); TestServer b = TestServer.start(dir.resolve("b"))) {
            List<TunnelEvent> events = new CopyOnWriteArrayList<>();
            FailoverTunnelClient client = FailoverTunnelClient.create(FailoverConfig.builder(a.clientConfig("alice")
                            .token(TestTokens.forged("alice")).listener(events::add).build())
                    .endpoint(a.tunnelUri(), 0, 1)
                    .endpoint(b.tunnelUri(), 1, 1)
                    .build());

            assertThatThrownBy(() -> client.start().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TunnelException.class)
                    .satisfies(failure -> assertThat(((TunnelException) failure).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
            assertThat(client.awaitTermination(Duration.ofSeconds(10))).isTrue();
            assertThat(client.state()).isEqualTo(TunnelState.FAILED);
            assertThat(events).filteredOn(e -> e.type() == TunnelEvent.Type.FAILED).singleElement()
                    .satisfies(failed -> assertThat(failed.detail()).contains("every endpoint refused", "TUNNEL_002"));
        }
    }
}
