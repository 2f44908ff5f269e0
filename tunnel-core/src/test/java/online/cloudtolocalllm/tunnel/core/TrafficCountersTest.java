package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Counters of a connection reach their endpoint's; a shutdown hears when the endpoint's last stream closes. */
class TrafficCountersTest {
    private final TrafficCounters endpoint = new TrafficCounters(null);
    private final TrafficCounters connection = new TrafficCounters(endpoint);
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void aConnectionsStreamsAndBytesCountForItsEndpoint() {
        connection.streamOpened();
        connection.streamOpened();
        connection.streamClosed();
        connection.received(10);
        connection.sent(7);
        connection.error();

        assertThat(endpoint.snapshot()).isEqualTo(connection.snapshot());
        assertThat(endpoint.openStreams()).isEqualTo(1);
    }

    @Test
    void theActionRunsOnceWhenTheLastStreamCloses() {
        connection.streamOpened();
        connection.streamOpened();
        endpoint.whenNoStreams(runs::incrementAndGet);

        connection.streamClosed();
        assertThat(runs).as("one stream is still open").hasValue(0);
        connection.streamClosed();
        assertThat(runs).as("the last one closed").hasValue(1);
        connection.streamOpened();
        connection.streamClosed();
        assertThat(runs).as("it ran once only").hasValue(1);
    }

    @Test
    void theActionRunsAtOnceWhenNoStreamIsOpen() {
        connection.streamOpened();
        connection.streamClosed();

        endpoint.whenNoStreams(runs::incrementAndGet);

        assertThat(runs).hasValue(1);
    }
}
