package online.cloudtolocalllm.tunnel.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real OpenSSH {@code ssh-agent} in the foreground on its own socket, killed on close. */
final class SshAgentProcess implements AutoCloseable {
    private final Process process;
    private final Path socket;

    private SshAgentProcess(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    static SshAgentProcess start(Path socket) throws IOException {
        Process process = new ProcessBuilder(List.of("ssh-agent", "-D", "-a", socket.toString()))
                .redirectErrorStream(true).start();
        SshAgentProcess agent = new SshAgentProcess(process, socket);
        try {
            // ssh-agent prints its environment once the socket listens
            new LineWatcher(process.getInputStream(), "ssh-agent-out")
                    .await(line -> line.startsWith("SSH_AUTH_SOCK="), Tools.TIMEOUT, "ssh-agent listening");
            return agent;
        } catch (RuntimeException | Error e) {
            agent.close();
            throw e;
        }
    }

    Path socket() {
        return socket;
    }

    Map<String, String> environment() {
        return Map.of("SSH_AUTH_SOCK", socket.toString());
    }

    /** Adds the private key {@code file} with ssh-add, then deletes the file: from now on only the agent holds it. */
    void addAndForget(Path file) throws IOException, InterruptedException {
        Tools.runOk(List.of("ssh-add", file.toString()), environment());
        Files.delete(file);
    }

    /** What {@code ssh-add -l} lists. */
    String list() throws IOException, InterruptedException {
        return Tools.run(List.of("ssh-add", "-l"), environment()).out();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
            Files.deleteIfExists(socket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // a leftover socket file in a temp directory
        }
    }
}
