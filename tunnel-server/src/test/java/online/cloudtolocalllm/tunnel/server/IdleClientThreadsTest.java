package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle tunnel costs no platform thread of its own: a client's scheduler and sshd's timers run on virtual threads,
 * so a JVM holding many tunnels holds the threads of its shared pools only.
 */
class IdleClientThreadsTest {
    private static final int CLIENTS = 8;

    @TempDir
    Path dataDir;

    @Test
    void moreConnectedClientsAddNoPlatformThreads() throws Exception {
        try (TestServer tunnel = TestServer.start(dataDir)) {
            // the first client starts the pools every client shares: event loops, virtual threads' carriers
            tunnel.connect("alice", new ExposedService("first", "127.0.0.1", 9));
            int before = platformThreads();
            for (int i = 0; i < CLIENTS; i++) {
                tunnel.connect("alice", new ExposedService("idle" + i, "127.0.0.1", 9));
            }
            assertThat(platformThreads() - before).as("platform threads added by %d more clients", CLIENTS)
                    .isLessThan(CLIENTS);
        }
    }

    /** Live platform threads ({@link Thread#getAllStackTraces} leaves virtual threads out). */
    private static int platformThreads() {
        return Thread.getAllStackTraces().size();
    }
}
