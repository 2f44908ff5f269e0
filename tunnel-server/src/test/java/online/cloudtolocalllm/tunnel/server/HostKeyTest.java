package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client checks the server's host key by its policy: a wrong pin, an unknown key and a changed key each fail at
 * once with a message saying what was expected and found, without retrying; trust on first use records the key.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostKeyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<TunnelClient> clients = new ArrayList<>();
    private TestServer tunnel;

    @BeforeEach
    void start() throws Exception {
        tunnel = TestServer.start(dir.resolve("server-data"));
    }

    @AfterEach
    void stop() {
        clients.forEach(TunnelClient::shutdownNow);
        tunnel.close();
    }

    private TunnelClient client(HostKeyPolicy policy, EventLog events) {
        TunnelClient client = TunnelClient.create(tunnel.clientConfig("alice").hostKeys(policy).listener(events).build());
        clients.add(client);
        return client;
    }

    /** Starts a client that must be refused; returns the refusal after checking it gave up at once. */
    private TunnelException refused(HostKeyPolicy policy) throws Exception {
        EventLog events = new EventLog();
        TunnelClient client = client(policy, events);
        Throwable failure = failureOf(client);
        assertThat(failure).as("start() fails").isInstanceOf(TunnelException.class);
        assertThat(client.awaitTermination(Duration.ofSeconds(2))).as("the client stops instead of retrying").isTrue();
        assertThat(client.state()).isEqualTo(TunnelState.FAILED);
        assertThat(events.ofType(TunnelEvent.Type.CONNECTING)).as("one attempt, no retries").hasSize(1);
        assertThat(events.ofType(TunnelEvent.Type.RECONNECTING)).isEmpty();
        assertThat(events.ofType(TunnelEvent.Type.FAILED)).singleElement()
                .satisfies(e -> assertThat(e.cause()).isSameAs(failure));
        assertThat(tunnel.server().sessions()).isEmpty();
        return (TunnelException) failure;
    }

    private static Throwable failureOf(TunnelClient client) throws Exception {
        try {
            client.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("start() succeeded; expected the host key to be refused");
    }

    @Test
    void wrongPinnedFingerprintFailsAtOnceNamingBothFingerprints() throws Exception {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String wrong = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(random);

        TunnelException failure = refused(HostKeyPolicy.pinned(wrong));

        assertThat(failure.code()).isEqualTo(ErrorCode.SSH_ERROR);
        assertThat(failure.getMessage()).contains(wrong).contains(tunnel.server().hostKeyFingerprint());
    }

    @Test
    void knownHostsWithoutTheServerFailsSayingTheKeyIsUnknown() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[elsewhere.invalid]:2222 " + otherEd25519Key() + "\n");

        TunnelException failure = refused(HostKeyPolicy.knownHosts(knownHosts));

        assertThat(failure.getMessage()).contains(tunnel.server().hostKeyFingerprint()).contains("is not in").contains(knownHosts.toString());
        assertThat(Files.readString(knownHosts)).as("a known_hosts policy never adds keys").doesNotContain("127.0.0.1");
    }

    @Test
    void trustOnFirstUseRecordsTheKeyAndRefusesItOnceItChanges() throws Exception {
        Path knownHosts = dir.resolve("client").resolve("known_hosts");
        int port = tunnel.port();

        client(HostKeyPolicy.trustOnFirstUse(knownHosts), new EventLog()).start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        String recorded = Files.readString(knownHosts);
        assertThat(recorded).contains("[127.0.0.1]:" + port).contains("ssh-ed25519");
        client(HostKeyPolicy.knownHosts(knownHosts), new EventLog()).start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        String oldFingerprint = tunnel.server().hostKeyFingerprint();

        clients.forEach(TunnelClient::shutdownNow);
        tunnel.close();
        tunnel = TestServer.start(dir.resolve("new-server-data"), b -> b.listen("127.0.0.1", port));
        assertThat(tunnel.server().hostKeyFingerprint()).isNotEqualTo(oldFingerprint);

        TunnelException tofu = refused(HostKeyPolicy.trustOnFirstUse(knownHosts));
        assertThat(tofu.getMessage()).contains("CHANGED").contains(oldFingerprint).contains(tunnel.server().hostKeyFingerprint());
        TunnelException known = refused(HostKeyPolicy.knownHosts(knownHosts));
        assertThat(known.getMessage()).contains("CHANGED");
        assertThat(Files.readString(knownHosts)).as("the changed key is not recorded").isEqualTo(recorded);
    }

    /** An OpenSSH public key field pair ({@code ssh-ed25519 base64}) of a fresh key. */
    private static String otherEd25519Key() throws Exception {
        byte[] x509 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(blob)) {
            writeString(out, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
            writeString(out, raw);
        }
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.toByteArray());
    }

    private static void writeString(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }
}
