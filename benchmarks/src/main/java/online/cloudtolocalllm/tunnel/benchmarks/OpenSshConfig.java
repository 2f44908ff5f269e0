package online.cloudtolocalllm.tunnel.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The throw-away OpenSSH setup in one directory: an {@code sshd_config} for an unprivileged loopback server and the
 * matching {@code ssh} command lines, both pinned to the like-for-like algorithms.
 *
 * @param dir holds the host key, the user key, authorized_keys, known_hosts and the config
 * @param port the loopback port sshd listens on
 * @param user the user ssh logs in as (whoever runs the benchmark)
 */
record OpenSshConfig(Path dir, int port, String user) {
    static final String CIPHER = "aes128-gcm@openssh.com";
    static final String KEX = "curve25519-sha256";

    Path hostKey() {
        return dir.resolve("host_ed25519");
    }

    Path userKey() {
        return dir.resolve("user_ed25519");
    }

    Path authorizedKeys() {
        return dir.resolve("authorized_keys");
    }

    Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    Path configFile() {
        return dir.resolve("sshd_config");
    }

    /** The sshd configuration: keys only, loopback only, forwarding on, enough concurrent handshakes for fleets. */
    String sshdConfig() {
        return String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey(),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys(),
                // the throw-away files sit under a world-writable temp directory
                "StrictModes no",
                "UsePAM no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "AllowTcpForwarding yes",
                "GatewayPorts no",
                "Ciphers " + CIPHER,
                "KexAlgorithms " + KEX,
                "Compression no",
                "MaxStartups 200:30:1000",
                "LogLevel ERROR",
                "");
    }

    /** The line that makes ssh trust the host key {@code hostPublicKey} ({@code "ssh-ed25519 AAAA..."}) on this port. */
    String knownHostsLine(String hostPublicKey) {
        String[] parts = hostPublicKey.trim().split("\\s+");
        return "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n";
    }

    /** {@code ssh -N} with {@code forwards} (like {@code -L 1234:127.0.0.1:80}) and the like-for-like algorithms. */
    List<String> sshCommand(List<String> forwards, String logLevel) {
        List<String> command = new ArrayList<>(List.of("ssh", "-N", "-F", "/dev/null",
                "-i", userKey().toString(),
                "-p", Integer.toString(port),
                "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts(),
                "-o", "Ciphers=" + CIPHER,
                "-o", "KexAlgorithms=" + KEX,
                "-o", "Compression=no",
                "-o", "ExitOnForwardFailure=yes",
                "-o", "LogLevel=" + logLevel));
        command.addAll(forwards);
        command.add(user + "@127.0.0.1");
        return command;
    }
}
