package online.cloudtolocalllm.tunnel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.Commands;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.MutableClock;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real OpenSSH client with {@code UpdateHostKeys=yes}, trusting our server's current key from its known_hosts file,
 * learns the announced successor: it asks our server to prove it ({@code hostkeys-prove-00@openssh.com}), checks the
 * signature and adds the key to the file.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenSshUpdateHostKeysTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void openSshLearnsTheAnnouncedSuccessorIntoItsKnownHostsFile() throws Exception {
        Path key = dir.resolve("id_ed25519");
        Commands.run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        String[] publicKey = Files.readString(dir.resolve("id_ed25519.pub")).split(" ");
        Path authorizedKeys = Files.writeString(dir.resolve("authorized_keys"), publicKey[0] + " " + publicKey[1] + " alice\n");
        Path data = dir.resolve("data");
        MutableClock clock = new MutableClock();
        EventLog serverEvents = new EventLog();

        try (TestServer tunnel = TestServer.start(data, b -> b.authorizedKeys(authorizedKeys).clock(clock)
                .hostKeyRotation(Duration.ofDays(30), Duration.ofDays(2)).listener(serverEvents))) {
            String host = "[127.0.0.1]:" + tunnel.port();
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"),
                    host + " " + keyFields(data.resolve("ssh_host_ed25519_key.pub")) + "\n");
            clock.advance(Duration.ofDays(30));
            serverEvents.await(EventLog.type(TunnelEvent.Type.HOST_KEY_ANNOUNCED), WAIT, "the successor is announced");
            String successor = keyFields(data.resolve("ssh_host_ed25519_key.next.pub"));

            Path log = dir.resolve("ssh.log");
            Process ssh = new ProcessBuilder("/usr/bin/ssh", "-v", "-N", "-F", "/dev/null", "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=yes", "-o", "UpdateHostKeys=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                    "-o", "GlobalKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-i", key.toString(),
                    "-p", Integer.toString(tunnel.port()), "alice@127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                Await.until(WAIT, "ssh adds the successor to " + knownHosts + "; ssh said:\n" + Commands.readIfPresent(log),
                        () -> Commands.readIfPresent(knownHosts).contains(host + " " + successor));
            } finally {
                ssh.destroy();
                ssh.waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(Commands.readIfPresent(log)).contains("Learned new hostkey: ED25519");
            assertThat(Commands.readIfPresent(knownHosts)).as("the key ssh already trusted stays").contains(keyFields(data.resolve("ssh_host_ed25519_key.pub")));
        }
    }

    /** The {@code type base64} fields of an OpenSSH public key file. */
    private static String keyFields(Path publicKeyFile) throws IOException {
        String[] fields = Files.readString(publicKeyFile).strip().split(" ");
        return fields[0] + " " + fields[1];
    }
}
