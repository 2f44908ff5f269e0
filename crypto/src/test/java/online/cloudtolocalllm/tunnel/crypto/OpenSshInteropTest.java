package online.cloudtolocalllm.tunnel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.Commands;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real OpenSSH client (9.2 here: Streamlined NTRU Prime but no ML-KEM) against our server's default, modern
 * profile: the two settle on the post-quantum hybrid exchange and ChaCha20-Poly1305, as both the server's event and
 * {@code ssh -vv} say.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenSshInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Debian's 9.2p1 offers the exchange under its standard name first, then as {@code ...@openssh.com}. */
    private static final String SNTRUP = "sntrup761x25519-sha512";

    @TempDir
    Path dir;

    @Test
    void openSsh92NegotiatesSntrup761WithOurServer() throws Exception {
        Path key = dir.resolve("id_ed25519");
        Commands.run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        String[] publicKey = Files.readString(dir.resolve("id_ed25519.pub")).split(" ");
        Path authorizedKeys = Files.writeString(dir.resolve("authorized_keys"), publicKey[0] + " " + publicKey[1] + " alice\n");
        EventLog serverEvents = new EventLog();
        Path stderr = dir.resolve("ssh.log");

        try (TestServer tunnel = TestServer.start(dir.resolve("data"), b -> b.authorizedKeys(authorizedKeys).listener(serverEvents))) {
            Process ssh = new ProcessBuilder("/usr/bin/ssh", "-vv", "-N", "-F", "/dev/null", "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
                    "-i", key.toString(), "-p", Integer.toString(tunnel.port()), "alice@127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(stderr.toFile()).start();
            try {
                serverEvents.await(e -> e.type() == TunnelEvent.Type.CONNECTED && "alice".equals(e.user()), WAIT, "ssh logs in");
                TunnelEvent exchange = serverEvents.await(EventLog.detail(TunnelEvent.Type.KEY_EXCHANGED, "kex=" + SNTRUP), WAIT, "the server's event");
                String kex = exchange.detail().split(" ")[0].substring("kex=".length());
                // OpenSSH prefers ChaCha20-Poly1305, which the modern profile offers after AES-GCM
                assertThat(exchange.detail()).contains("hostkey=ssh-ed25519", "cipher=chacha20-poly1305@openssh.com");
                Await.until(WAIT, "ssh -vv names the exchange",
                        () -> Commands.readIfPresent(stderr).lines().anyMatch(line -> line.strip().equals("debug1: kex: algorithm: " + kex)));
                assertThat(tunnel.server().sessions()).singleElement()
                        .satisfies(s -> assertThat(s.crypto().kex()).startsWith(SNTRUP));
            } finally {
                ssh.destroy();
                ssh.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
