package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sshd server with our host-key ring announces its keys after login and proves them; a real sshd client with
 * our handler learns a proved successor, and learns nothing from a proof signed by another key.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostKeyProofTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final KeyPair current = KeyFiles.generateEd25519();
    private final KeyPair successor = KeyFiles.generateEd25519();
    private SshServer server;
    private SshClient client;

    /** What the client's handler reported: learned or refused fingerprints with the reason. */
    private record Outcome(boolean learned, List<String> fingerprints, String detail) {
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.stop(true);
        }
    }

    @Test
    void aProvedSuccessorIsAddedToTheClientsPins() throws Exception {
        HostKeyCheck check = new HostKeyCheck(HostKeyPolicy.pinned(KeyFiles.fingerprint(current.getPublic())));

        Outcome outcome = announceTo(check, new HostKeyRing(current, successor));

        assertThat(outcome).isEqualTo(new Outcome(true, List.of(KeyFiles.fingerprint(successor.getPublic())), "pinned for this client"));
        assertThat(check.trusts(session, successor.getPublic())).isTrue();
    }

    @Test
    void aForgedProofTeachesNothing() throws Exception {
        HostKeyCheck check = new HostKeyCheck(HostKeyPolicy.pinned(KeyFiles.fingerprint(current.getPublic())));
        // the server announces the successor's public key but signs its proof with a different private key
        KeyPair forged = new KeyPair(successor.getPublic(), KeyFiles.generateEd25519().getPrivate());

        Outcome outcome = announceTo(check, new HostKeyRing(current, forged));

        assertThat(outcome).isEqualTo(new Outcome(false, List.of(KeyFiles.fingerprint(successor.getPublic())),
                "the server's proof does not verify"));
        assertThat(check.trusts(session, successor.getPublic())).isFalse();
    }

    @Test
    void aProvedSuccessorIsAppendedToKnownHostsKeepingTheUsersLines() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        HostKeyCheck check = new HostKeyCheck(HostKeyPolicy.trustOnFirstUse(knownHosts));
        Files.writeString(knownHosts, "# the user's own line\n");

        Outcome outcome = announceTo(check, new HostKeyRing(current, successor));

        assertThat(outcome.learned()).isTrue();
        // the user's line, the key trusted on first use, the learned successor
        List<String> lines = Files.readAllLines(knownHosts).stream().filter(line -> !line.isBlank()).toList();
        assertThat(lines).hasSize(3).first().isEqualTo("# the user's own line");
        assertThat(lines.get(2)).isEqualTo("[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(successor.getPublic()));
        assertThat(check.trusts(session, successor.getPublic())).isTrue();
    }

    private ClientSession session;

    /** Logs a client in to a server with {@code ring} and returns what the client made of the announcement. */
    private Outcome announceTo(HostKeyCheck check, HostKeyRing ring) throws Exception {
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setKeyPairProvider(ring);
        server.setPasswordAuthenticator((user, password, s) -> true);
        server.setGlobalRequestHandlers(List.of(new HostKeyProofHandler(ring)));
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionEvent(Session s, Event event) {
                if (event == Event.Authenticated) {
                    Thread.ofVirtual().start(() -> HostKeyAnnouncement.send(s, ring.announced()));
                }
            }
        });
        server.start();

        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(check);
        client.setGlobalRequestHandlers(List.of(new HostKeyUpdates(check, new HostKeyUpdates.Outcome() {
            @Override
            public void learned(ClientSession s, List<String> fingerprints, String where) {
                outcome.complete(new Outcome(true, fingerprints, where.startsWith("added to") ? "file" : where));
            }

            @Override
            public void refused(ClientSession s, List<String> fingerprints, String why) {
                outcome.complete(new Outcome(false, fingerprints, why));
            }
        })));
        client.start();
        session = client.connect("alice", "127.0.0.1", server.getPort()).verify(WAIT).getSession();
        session.addPasswordIdentity("secret");
        session.auth().verify(WAIT);
        return outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
