package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import online.cloudtolocalllm.tunnel.api.TunnelSession;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCommandTest {
    private static final String WRONG_FINGERPRINT = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    @TempDir
    Path dir;
    private TunnelFixture tunnel;
    private Thread running;

    @BeforeEach
    void startServer() {
        tunnel = new TunnelFixture(dir.resolve("data"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (running != null) {
            running.interrupt();
            running.join(Duration.ofSeconds(10));
        }
        tunnel.close();
    }

    @Test
    void wrongFingerprintFailsWithBothFingerprints() {
        CliRun.Result run = CliRun.run("client", "--server", tunnel.uri.toString(), "--token", TestTokens.valid("alice"),
                "--expose", "llm=127.0.0.1:11434", "--fingerprint", WRONG_FINGERPRINT);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).doesNotContain("registered:");
        String failure = run.err().lines().reduce((first, second) -> second).orElseThrow();
        assertThat(failure).startsWith("tunnel client: ").contains(WRONG_FINGERPRINT, tunnel.server.hostKeyFingerprint());
        assertThat(run.err()).contains("FAILED").doesNotContain("\tat ");
    }

    @Test
    void unknownHostKeyFailsAndSaysHowToPinIt() {
        Path knownHosts = dir.resolve("known_hosts");

        CliRun.Result run = CliRun.run("client", "--server", tunnel.uri.toString(), "--token", TestTokens.valid("alice"),
                "--known-hosts", knownHosts.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(tunnel.server.hostKeyFingerprint(), "not in " + knownHosts, "pin");
    }

    @Test
    void refusedTokenFailsWithItsCode() {
        CliRun.Result run = CliRun.run("client", "--server", tunnel.uri.toString(), "--token", TestTokens.forged("alice"),
                "--fingerprint", tunnel.server.hostKeyFingerprint());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("tunnel client: TUNNEL_002");
    }

    @Test
    void pinnedClientRegistersItsServicesAndSaysSo() {
        CliRun client = start("client", "--server", tunnel.uri.toString(), "--token", TestTokens.valid("alice"),
                "--expose", "llm=127.0.0.1:11434,db=127.0.0.1:5432", "--fingerprint", tunnel.server.hostKeyFingerprint());

        Await.until(Duration.ofSeconds(20), "the registered: line", () -> client.out.toString().contains("registered:"));
        assertThat(client.out.toString()).startsWith("registered: llm=127.0.0.1:11434, db=127.0.0.1:5432 at "
                + tunnel.uri + " as alice");
        assertThat(tunnel.server.sessions()).flatExtracting(TunnelSession::services).containsExactlyInAnyOrder("llm", "db");
        assertThat(client.err.toString()).contains("CONNECTING", "CONNECTED");
    }

    @Test
    void keepsSeveralSessionsWhenAskedTo() {
        CliRun client = start("client", "--server", tunnel.uri.toString(), "--token", TestTokens.valid("alice"),
                "--expose", "llm=127.0.0.1:11434", "--fingerprint", tunnel.server.hostKeyFingerprint(), "--sessions", "2");

        Await.until(Duration.ofSeconds(20), "two sessions serving llm", () -> tunnel.server.sessions().stream()
                .filter(session -> session.services().contains("llm")).count() == 2);
        Await.until(Duration.ofSeconds(5), "a registered: line from each session",
                () -> client.out.toString().contains("(session 1 of 2)") && client.out.toString().contains("(session 2 of 2)"));
    }

    @Test
    void aSessionCountOutOfRangeIsAUsageError() {
        CliRun.Result run = CliRun.run("client", "--server", tunnel.uri.toString(), "--token", TestTokens.valid("alice"),
                "--sessions", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("sessions must be 1 to 64, got 0");
    }

    @Test
    void trustOnFirstUseRecordsTheKey() throws Exception {
        Path knownHosts = dir.resolve("tofu/known_hosts");
        CliRun client = start("client", "--server", tunnel.uri.toString(), "--token", TestTokens.valid("alice"),
                "--known-hosts", knownHosts.toString(), "--trust-on-first-use");

        Await.until(Duration.ofSeconds(20), "the registered: line", () -> client.out.toString().contains("registered:"));
        assertThat(Files.readString(knownHosts)).contains("ssh-ed25519");
    }

    @Test
    void fingerprintAndKnownHostsTogetherAreAUsageError() {
        CliRun.Result run = CliRun.run("client", "--server", tunnel.uri.toString(), "--token", TestTokens.valid("alice"),
                "--fingerprint", WRONG_FINGERPRINT, "--trust-on-first-use");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot be combined");
    }

    @Test
    void badExposeIsAUsageError() {
        CliRun.Result run = CliRun.run("client", "--server", tunnel.uri.toString(), "--token", TestTokens.valid("alice"),
                "--expose", "llm");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("--expose", "name=host:port");
    }

    /** Runs the client command on a thread of its own; the test interrupts it when done. */
    private CliRun start(String... args) {
        CliRun client = CliRun.prepare(args);
        running = Thread.ofPlatform().name("client-command").start(() -> client.execute(args));
        return client;
    }
}
