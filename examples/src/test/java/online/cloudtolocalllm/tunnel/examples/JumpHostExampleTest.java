package online.cloudtolocalllm.tunnel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.agent.AgentForwardingServer;
import online.cloudtolocalllm.tunnel.spi.AgentGatewayProvider;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The example logs in to a real OpenSSH sshd with the key a real ssh-agent forwards through alice's tunnel. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JumpHostExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void serverCodeRunsACommandElsewhereWithTheUsersAgent() throws Exception {
        Path sockets = Files.createTempDirectory(Path.of("/tmp"), "agx");
        Process agent = null;
        Process sshd = null;
        try {
            Path agentSocket = sockets.resolve("agent.sock");
            agent = new ProcessBuilder("ssh-agent", "-D", "-a", agentSocket.toString()).redirectErrorStream(true).start();
            Await.until(WAIT, "ssh-agent's socket", () -> Files.exists(agentSocket));
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("id").toString());
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host").toString());
            run("env", "SSH_AUTH_SOCK=" + agentSocket, "ssh-add", dir.resolve("id").toString());
            Files.delete(dir.resolve("id"));
            Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
            Files.createDirectories(Path.of("/run/sshd"));
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Files.writeString(dir.resolve("sshd_config"), "Port " + port + "\nListenAddress 127.0.0.1\nHostKey " + dir.resolve("host")
                    + "\nAuthorizedKeysFile " + dir.resolve("authorized_keys") + "\nPidFile " + dir.resolve("pid")
                    + "\nUsePAM no\nStrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n");
            sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
            Await.until(WAIT, "sshd listening", () -> log(dir.resolve("sshd.log")).contains("Server listening"));
            String hostKey = run("ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("host.pub").toString()).split(" ")[1];

            try (TestServer tunnel = TestServer.start(dir.resolve("data"), b -> b.allowAgentForwarding(true)
                    .component(AgentGatewayProvider.class, AgentForwardingServer.builder().build()))) {
                tunnel.connect(tunnel.clientConfig("alice").forwardAgent(true).agent(agentSocket.toString()).build());

                String out = JumpHostExample.run(tunnel.server(), "alice", System.getProperty("user.name"), "127.0.0.1", port,
                        hostKey, "echo jumped");

                assertThat(out.strip()).isEqualTo("jumped");
            }
        } finally {
            if (sshd != null) {
                sshd.descendants().forEach(ProcessHandle::destroyForcibly);
                sshd.destroyForcibly();
            }
            if (agent != null) {
                agent.destroyForcibly();
            }
            try (var files = Files.walk(sockets)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String log(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        try {
            assertThat(process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as(String.join(" ", command)).isTrue();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
            return out;
        } finally {
            process.destroyForcibly();
        }
    }
}
