package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.MutableClock;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host-key rotation with the clock moved by the test: a client pinned to the old key learns the successor from the
 * server's announcement while its tunnel keeps relaying, and reconnects once the old key has retired; a client that
 * was away during the overlap is refused naming both keys. The successor is saved beside the key, so a restart
 * keeps the ring.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostKeyRotationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration INTERVAL = Duration.ofDays(30);
    private static final Duration OVERLAP = Duration.ofDays(2);
    private static final String KEY_FILE = "ssh_host_ed25519_key";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final EventLog serverEvents = new EventLog();
    private final TcpTestService echo = TcpTestService.echo();
    private final List<TunnelClient> clients = new ArrayList<>();
    private TestServer tunnel;

    @AfterEach
    void stop() {
        clients.forEach(TunnelClient::shutdownNow);
        if (tunnel != null) {
            tunnel.close();
        }
        echo.close();
    }

    private TestServer startRotating(Path data, int port) throws Exception {
        return TestServer.start(data, b -> b.listen("127.0.0.1", port).clock(clock).hostKeyRotation(INTERVAL, OVERLAP)
                .listener(serverEvents));
    }

    private TunnelClient connect(TunnelClientConfig config) throws Exception {
        TunnelClient client = TunnelClient.create(config);
        clients.add(client);
        client.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return client;
    }

    /** Moves the clock to the next announcement and returns the successor's fingerprint. */
    private String announceSuccessor() {
        int mark = serverEvents.mark();
        clock.advance(INTERVAL);
        TunnelEvent announced = serverEvents.await(mark, EventLog.type(TunnelEvent.Type.HOST_KEY_ANNOUNCED), WAIT, "the successor is announced");
        return announced.detail().split(" ")[1];
    }

    @Test
    void aPinnedClientStaysConnectedAcrossTheRotationLearnsTheSuccessorAndReconnectsToIt() throws Exception {
        Path data = dir.resolve("data");
        tunnel = startRotating(data, 0);
        String oldKey = tunnel.server().hostKeyFingerprint();
        EventLog clientEvents = new EventLog();
        TunnelClient client = connect(tunnel.clientConfig("alice").expose("echo", "127.0.0.1", echo.port()).listener(clientEvents).build());

        String newKey;
        try (TunnelStream opened = tunnel.server().openStream("alice", "echo").get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            Echo stream = new Echo(opened.outputStream(), opened.inputStream());
            assertEchoes(stream, "before the announcement");
            newKey = announceSuccessor();
            assertThat(newKey).startsWith("SHA256:").isNotEqualTo(oldKey);
            assertThat(data.resolve(KEY_FILE + ".next")).as("the successor is saved beside the key").exists();
            clientEvents.await(EventLog.detail(TunnelEvent.Type.HOST_KEYS_LEARNED, newKey), WAIT, "the client learns the successor");
            assertThat(tunnel.server().hostKeyFingerprint()).as("still presenting the old key").isEqualTo(oldKey);
            assertEchoes(stream, "during the overlap");

            clock.advance(OVERLAP);
            serverEvents.await(EventLog.detail(TunnelEvent.Type.HOST_KEY_ROTATED, "presenting " + newKey + ", retired " + oldKey),
                    WAIT, "the successor replaces the old key");
            assertThat(tunnel.server().hostKeyFingerprint()).isEqualTo(newKey);
            assertEchoes(stream, "after the rotation");
        }
        assertThat(client.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(clientEvents.ofType(TunnelEvent.Type.DISCONNECTED)).as("the tunnel never dropped").isEmpty();
        assertThat(data.resolve(KEY_FILE + ".next")).doesNotExist();

        // a restart presents the key on disk: the client, pinned to the old key only, reconnects by what it learned
        int port = tunnel.port();
        int mark = clientEvents.mark();
        tunnel.close();
        tunnel = startRotating(data, port);
        assertThat(tunnel.server().hostKeyFingerprint()).isEqualTo(newKey);
        clientEvents.await(mark, EventLog.type(TunnelEvent.Type.CONNECTED), Duration.ofSeconds(20), "the client reconnects to the new key");

        // a client that was not connected during the overlap never learned the successor
        EventLog latecomerEvents = new EventLog();
        TunnelClient latecomer = TunnelClient.create(tunnel.clientConfig("bob").hostKeys(HostKeyPolicy.pinned(oldKey))
                .listener(latecomerEvents).build());
        clients.add(latecomer);
        TunnelException refused = refusal(latecomer);
        assertThat(refused.code()).isEqualTo(ErrorCode.SSH_ERROR);
        assertThat(refused.getMessage()).contains("is " + newKey).contains("expected " + oldKey);
        assertThat(latecomerEvents.ofType(TunnelEvent.Type.HOST_KEY_REFUSED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains(newKey, oldKey));
    }

    @Test
    void aRestartDuringTheOverlapKeepsAnnouncingTheSavedSuccessor() throws Exception {
        Path data = dir.resolve("data");
        tunnel = startRotating(data, 0);
        String oldKey = tunnel.server().hostKeyFingerprint();
        String newKey = announceSuccessor();
        int port = tunnel.port();
        tunnel.close();

        tunnel = startRotating(data, port);
        assertThat(tunnel.server().hostKeyFingerprint()).isEqualTo(oldKey);
        EventLog clientEvents = new EventLog();
        connect(tunnel.clientConfig("alice").listener(clientEvents).build());
        clientEvents.await(EventLog.detail(TunnelEvent.Type.HOST_KEYS_LEARNED, newKey), WAIT, "a new session learns the saved successor");

        clock.advance(OVERLAP);
        serverEvents.await(EventLog.detail(TunnelEvent.Type.HOST_KEY_ROTATED, "presenting " + newKey), WAIT, "the saved successor is presented");
    }

    private static TunnelException refusal(TunnelClient client) throws Exception {
        try {
            client.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (TunnelException) e.getCause();
        }
        throw new AssertionError("start() succeeded; expected the host key to be refused");
    }

    /** Both ends of a stream to the echo service. */
    record Echo(OutputStream out, InputStream in) {
    }

    static void assertEchoes(Echo stream, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        stream.out().write(bytes);
        stream.out().flush();
        assertThat(new String(stream.in().readNBytes(bytes.length), StandardCharsets.UTF_8)).isEqualTo(text);
    }
}
