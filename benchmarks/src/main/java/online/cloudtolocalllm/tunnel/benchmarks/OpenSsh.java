package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A throw-away OpenSSH server on loopback, pinned to the tunnel core, and the {@code ssh} forwards through it. */
final class OpenSsh implements AutoCloseable {
    private final OpenSshConfig config;
    private final Proc sshd;

    private OpenSsh(OpenSshConfig config, Proc sshd) {
        this.config = config;
        this.sshd = sshd;
    }

    /** Makes keys and a config in {@code dir} and starts {@code sshd -D -e} on a free port. */
    static OpenSsh start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        // sshd's privilege separation wants this directory even when it runs unprivileged
        Files.createDirectories(Path.of("/run/sshd"));
        OpenSshConfig config = new OpenSshConfig(dir, Ports.free(), System.getProperty("user.name"));
        Proc.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", config.hostKey().toString()));
        Proc.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", config.userKey().toString()));
        Files.copy(Path.of(config.userKey() + ".pub"), config.authorizedKeys());
        Files.writeString(config.knownHosts(), config.knownHostsLine(Files.readString(Path.of(config.hostKey() + ".pub"))));
        Files.writeString(config.configFile(), config.sshdConfig());
        Proc sshd = Proc.start("sshd", Pinning.TUNNEL_CORE,
                List.of("/usr/sbin/sshd", "-D", "-e", "-f", config.configFile().toString()), dir.resolve("sshd.log"));
        Ports.awaitListening(config.port(), Duration.ofSeconds(10));
        return new OpenSsh(config, sshd);
    }

    /** {@code ssh -N -L localPort:127.0.0.1:targetPort}, waiting until the local port listens. */
    Proc forwardLocal(int localPort, int targetPort) throws InterruptedException {
        Proc ssh = startLocal(localPort, targetPort);
        Ports.awaitListening(localPort, Duration.ofSeconds(10));
        return ssh;
    }

    /** Starts {@code ssh -N -L localPort:127.0.0.1:targetPort} without waiting. */
    Proc startLocal(int localPort, int targetPort) {
        return ssh("ssh-L-" + localPort, List.of("-L", "127.0.0.1:" + localPort + ":127.0.0.1:" + targetPort), "ERROR");
    }

    /** {@code ssh -N -R remotePort:127.0.0.1:targetPort}, waiting until sshd listens on the remote port. */
    Proc forwardRemote(int remotePort, int targetPort) throws InterruptedException {
        Proc ssh = startRemote(remotePort, targetPort, "ERROR");
        Ports.awaitListening(remotePort, Duration.ofSeconds(10));
        return ssh;
    }

    /** Starts {@code ssh -N -R remotePort:127.0.0.1:targetPort} without waiting; port 0 lets sshd pick one. */
    Proc startRemote(int remotePort, int targetPort, String logLevel) {
        return ssh("ssh-R-" + remotePort, List.of("-R", "127.0.0.1:" + remotePort + ":127.0.0.1:" + targetPort), logLevel);
    }

    private Proc ssh(String name, List<String> forwards, String logLevel) {
        return Proc.start(name, Pinning.TUNNEL_CORE, config.sshCommand(forwards, logLevel), null);
    }

    /** The listening sshd and every per-connection sshd process under it. */
    List<Long> sshdPids() {
        List<Long> pids = new ArrayList<>();
        pids.add(sshd.pid());
        ProcessHandle.of(sshd.pid()).ifPresent(handle -> handle.descendants().forEach(child -> pids.add(child.pid())));
        return pids;
    }

    /** {@code ssh -V}: the OpenSSH version. */
    static String version() {
        return Proc.run(List.of("ssh", "-V")).trim();
    }

    @Override
    public void close() {
        sshd.close();
    }
}
