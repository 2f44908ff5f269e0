package online.cloudtolocalllm.tunnel.crypto.fips;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.Commands;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real OpenSSH client against a server in the fips profile (the server port takes raw {@code SSH-2.0-} banners too):
 * limited to NIST ECDH and AES-GCM it logs in with an ECDSA key; limited to curve25519 and ChaCha20-Poly1305, as a
 * non-FIPS peer, it is refused and the server's event lists both offers.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FipsOpenSshTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final EventLog serverEvents = new EventLog();
    private Path key;
    private TestServer tunnel;

    @BeforeEach
    void start() throws Exception {
        key = dir.resolve("id_ecdsa");
        Commands.run("/usr/bin/ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", key.toString());
        String[] publicKey = Files.readString(dir.resolve("id_ecdsa.pub")).split(" ");
        Path authorizedKeys = Files.writeString(dir.resolve("authorized_keys"), publicKey[0] + " " + publicKey[1] + " alice\n");
        tunnel = TestServer.start(dir.resolve("data"), b -> b.authorizedKeys(authorizedKeys).listener(serverEvents));
    }

    @AfterEach
    void stop() {
        tunnel.close();
    }

    @Test
    void openSshLimitedToNistEcdhAndAesGcmLogsIn() throws Exception {
        Path log = dir.resolve("ssh.log");
        Process ssh = ssh(log, "KexAlgorithms=ecdh-sha2-nistp256", "Ciphers=aes128-gcm@openssh.com");
        try {
            serverEvents.await(e -> e.type() == TunnelEvent.Type.CONNECTED && "alice".equals(e.user()), WAIT, "ssh logs in");
            serverEvents.await(EventLog.detail(TunnelEvent.Type.KEY_EXCHANGED,
                    "kex=ecdh-sha2-nistp256 hostkey=ecdsa-sha2-nistp256 cipher=aes128-gcm@openssh.com"), WAIT, "the server's event");
            Await.until(WAIT, "ssh -vv names the exchange",
                    () -> Commands.readIfPresent(log).lines().anyMatch(line -> line.strip().equals("debug1: kex: algorithm: ecdh-sha2-nistp256")));
        } finally {
            ssh.destroy();
            ssh.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aNonFipsOpenSshIsRefusedWithBothOffers() throws Exception {
        Path log = dir.resolve("ssh.log");
        Process ssh = ssh(log, "KexAlgorithms=curve25519-sha256", "Ciphers=chacha20-poly1305@openssh.com");

        assertThat(ssh.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(ssh.exitValue()).isNotZero();
        serverEvents.await(e -> e.type() == TunnelEvent.Type.FAILED && e.detail().equals(
                "SSH negotiation failed, no common kex algorithms: the client offers curve25519-sha256; the server offers "
                        + "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,"
                        + "diffie-hellman-group16-sha512,diffie-hellman-group14-sha256"), WAIT, "the server's failure event");
        assertThat(Commands.readIfPresent(log)).contains("no matching key exchange method found");
    }

    private Process ssh(Path log, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/ssh", "-vv", "-N", "-F", "/dev/null", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
                "-i", key.toString(), "-p", Integer.toString(tunnel.port())));
        for (String option : options) {
            command.addAll(List.of("-o", option));
        }
        command.add("alice@127.0.0.1");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
