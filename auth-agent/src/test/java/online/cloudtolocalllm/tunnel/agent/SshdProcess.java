package online.cloudtolocalllm.tunnel.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real OpenSSH {@code sshd} on a free loopback port with a temporary configuration: its own host key, one
 * authorized_keys file, no PAM, logins as the user running the tests. Killed on close.
 */
final class SshdProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path authorizedKeys;
    private final LineWatcher log;

    private SshdProcess(Process process, int port, Path authorizedKeys, LineWatcher log) {
        this.process = process;
        this.port = port;
        this.authorizedKeys = authorizedKeys;
        this.log = log;
    }

    static SshdProcess start(Path dir) throws IOException, InterruptedException {
        Path privsep = Path.of("/run/sshd");
        if (!Files.isDirectory(privsep)) {
            Files.createDirectories(privsep); // sshd checks that its privilege separation directory exists
        }
        Path hostKey = Tools.keygen(dir.resolve("ssh_host_ed25519_key"), "ed25519", "sshd-host");
        Path authorizedKeys = dir.resolve("authorized_keys");
        Files.writeString(authorizedKeys, "");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + authorizedKeys,
                "PidFile " + dir.resolve("sshd.pid"),
                "UsePAM no",
                "StrictModes no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "LogLevel VERBOSE",
                ""));
        Process process = new ProcessBuilder(List.of("/usr/sbin/sshd", "-D", "-e", "-f", config.toString()))
                .redirectErrorStream(true).start();
        LineWatcher log = new LineWatcher(process.getInputStream(), "sshd-log");
        SshdProcess sshd = new SshdProcess(process, port, authorizedKeys, log);
        try {
            log.await(line -> line.contains("Server listening on 127.0.0.1 port " + port), Tools.TIMEOUT, "sshd listening");
            return sshd;
        } catch (RuntimeException | Error e) {
            sshd.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** Makes {@code publicKeyFiles} the only keys that may log in. */
    void authorize(Path... publicKeyFiles) throws IOException {
        StringBuilder keys = new StringBuilder();
        for (Path file : publicKeyFiles) {
            keys.append(Files.readString(file).strip()).append('\n');
        }
        Files.writeString(authorizedKeys, keys);
    }

    /** Makes {@code publicKeyLine} the only key that may log in. */
    void authorizeLine(String publicKeyLine) throws IOException {
        Files.writeString(authorizedKeys, publicKeyLine.strip() + "\n");
    }

    LineWatcher log() {
        return log;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
