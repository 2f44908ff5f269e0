package online.cloudtolocalllm.tunnel.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A local connect that the socket, not the service, ended is tried once more; a refusal is final. */
class NettyLocalConnectorTest {

    @Test
    void aConnectEndedByItsSocketIsTriedOnceMore() {
        Attempts attempts = new Attempts(List.of(CompletableFuture.failedFuture(new ClosedChannelException()),
                CompletableFuture.completedFuture("connected")));

        assertThat(NettyLocalConnector.retriedOnce(attempts::next).join()).isEqualTo("connected");
        assertThat(attempts.made).isEqualTo(2);
    }

    @Test
    void aRefusedConnectFailsAtOnce() {
        Attempts attempts = new Attempts(List.of(CompletableFuture.failedFuture(new ConnectException("Connection refused")),
                CompletableFuture.completedFuture("connected")));

        CompletableFuture<String> result = NettyLocalConnector.retriedOnce(attempts::next);

        assertThat(result).isCompletedExceptionally();
        assertThat(cause(result)).isInstanceOf(ConnectException.class);
        assertThat(attempts.made).isEqualTo(1);
    }

    @Test
    void triesOnlyOnceMore() {
        Attempts attempts = new Attempts(List.of(CompletableFuture.failedFuture(new ClosedChannelException()),
                CompletableFuture.failedFuture(new ClosedChannelException()),
                CompletableFuture.completedFuture("connected")));

        CompletableFuture<String> result = NettyLocalConnector.retriedOnce(attempts::next);

        assertThat(result).isCompletedExceptionally();
        assertThat(cause(result)).isInstanceOf(ClosedChannelException.class);
        assertThat(attempts.made).isEqualTo(2);
    }

    private static Throwable cause(CompletableFuture<String> result) {
        try {
            result.join();
            throw new AssertionError("completed normally");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /** Hands out prepared outcomes, one per attempt. */
    private static final class Attempts {
        private final ArrayDeque<CompletableFuture<String>> outcomes;
        private int made;

        Attempts(List<CompletableFuture<String>> outcomes) {
            this.outcomes = new ArrayDeque<>(outcomes);
        }

        CompletableFuture<String> next() {
            made++;
            return outcomes.poll();
        }
    }
}
