package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tunnel client --forward-agent --agent PATH} (here through {@code --config}) and
 * {@code tunnel server --agent-socket-dir DIR}: a real ssh-agent's keys are listed through {@code DIR/alice.sock},
 * both commands print the audit lines, and the socket goes away with the client.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AgentForwardingCliTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern READY = Pattern.compile("ready: tunnel endpoint (ws://[^ ,]+)");
    private static final Pattern FINGERPRINT = Pattern.compile("host key fingerprint: (SHA256:\\S+)");

    @TempDir
    Path dir;
    private Path sockets;
    private Process agent;
    private final List<Thread> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Thread thread : running.reversed()) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(10));
        }
        if (agent != null) {
            agent.destroyForcibly();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        if (sockets != null) {
            try (var files = Files.walk(sockets)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void anAgentPathWithoutForwardAgentIsAUsageError() {
        CliRun.Result run = CliRun.run("client", "--server", "ws://127.0.0.1:1", "--token", TestTokens.valid("alice"),
                "--fingerprint", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "--agent", "/tmp/agent.sock");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("forwarding is off", "forwardAgent(true)");
    }

    @Test
    void unknownAgentOperationsAndOperationsWithoutForwardingAreUsageErrors() {
        CliRun.Result unknown = CliRun.run("server", "--data-dir", dir.toString(), "--jwt-secret", TestTokens.SECRET,
                "--allow-agent-forwarding", "--agent-operations", "list,steal");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown agent operation 'steal'");

        CliRun.Result off = CliRun.run("server", "--data-dir", dir.toString(), "--jwt-secret", TestTokens.SECRET,
                "--agent-operations", "list,sign,add");
        assertThat(off.exitCode()).isEqualTo(2);
        assertThat(off.err()).contains("--agent-operations needs --allow-agent-forwarding");
    }

    @Test
    void theClientForwardsItsAgentAndTheServerExposesItAsAUserSocket() throws Exception {
        sockets = Files.createTempDirectory(Path.of("/tmp"), "agc");
        Path agentSocket = sockets.resolve("agent.sock");
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", agentSocket.toString()).redirectErrorStream(true).start();
        Await.until(WAIT, "ssh-agent's socket", () -> Files.exists(agentSocket));
        Path key = dir.resolve("id_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice-cli", "-f", key.toString()), Map.of());
        run(List.of("ssh-add", key.toString()), Map.of("SSH_AUTH_SOCK", agentSocket.toString()));
        String fingerprint = run(List.of("ssh-keygen", "-l", "-f", key + ".pub"), Map.of()).split(" ")[1];
        Path userSockets = sockets.resolve("users");

        CliRun server = start("server", "--listen", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString(),
                "--jwt-secret", TestTokens.SECRET, "--agent-socket-dir", userSockets.toString());
        Await.until(WAIT, "the server's ready: line", () -> READY.matcher(server.out.toString()).find());
        Path config = dir.resolve("client.properties");
        Files.writeString(config, String.join("\n",
                "server=" + group(READY, server.out.toString()),
                "token=" + TestTokens.valid("alice"),
                "fingerprint=" + group(FINGERPRINT, server.out.toString()),
                "forward-agent=true",
                "agent=" + agentSocket,
                ""), StandardCharsets.UTF_8);
        CliRun client = start("client", "--config", config.toString());

        Path aliceSocket = userSockets.resolve("alice.sock");
        Await.until(WAIT, "alice.sock", () -> Files.exists(aliceSocket));
        Await.until(WAIT, "the client's AGENT_FORWARDED line", () -> client.err.toString().contains("AGENT_FORWARDED"));
        assertThat(run(List.of("ssh-add", "-l"), Map.of("SSH_AUTH_SOCK", aliceSocket.toString()))).contains(fingerprint);
        Await.until(WAIT, "the audit lines", () -> server.err.toString().contains("op=list result=OK")
                && client.err.toString().contains("op=list result=OK"));
        assertThat(server.err.toString()).contains("agent server user=alice peer=local user " + System.getProperty("user.name")
                + " via alice.sock op=list result=OK");
        assertThat(client.err.toString()).contains("agent client user=alice peer=server ws://");

        running.getLast().interrupt(); // Ctrl-C on the client
        running.getLast().join(Duration.ofSeconds(10));
        Await.until(WAIT, "alice.sock removed", () -> !Files.exists(aliceSocket, LinkOption.NOFOLLOW_LINKS));
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(pattern + " in " + text).isTrue();
        return matcher.group(1);
    }

    /** Runs a command to its end within 20 s and returns its output; fails if it fails. */
    private static String run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(command + " did not finish");
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(command + ": " + out).isZero();
            return out;
        } finally {
            process.destroyForcibly();
        }
    }

    /** Runs a command of the CLI on a thread of its own; the test interrupts it when done. */
    private CliRun start(String... args) {
        CliRun command = CliRun.prepare(args);
        running.add(Thread.ofPlatform().name(args[0] + "-command").start(() -> command.execute(args)));
        return command;
    }
}
