package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** One more of our servers on a fixed port with its own data directory, for the failover scenario. */
final class OurServer implements AutoCloseable {
    private final Path jar;
    private final Path dir;
    private final int port;
    private final Proc process;
    private final String fingerprint;

    private OurServer(Path jar, Path dir, int port, Proc process, String fingerprint) {
        this.jar = jar;
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.fingerprint = fingerprint;
    }

    /** Starts a server on {@code port} and waits until it is ready. */
    static OurServer start(Path jar, Path dir, int port) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Proc process = Proc.start("our-server-" + port, Pinning.TUNNEL_CORE, OurTunnel.java(jar, java.util.List.of(), "server",
                "--listen", "127.0.0.1:" + port, "--data-dir", dir.resolve("data").toString(), "--jwt-secret", OurTunnel.SECRET),
                dir.resolve("server-" + System.nanoTime() + ".log"));
        String fingerprint = process.awaitLine(line -> line.startsWith("host key fingerprint: "), Duration.ofSeconds(60))
                .substring("host key fingerprint: ".length()).trim();
        process.awaitLine(line -> line.startsWith("ready:"), Duration.ofSeconds(60));
        return new OurServer(jar, dir, port, process, fingerprint);
    }

    String uri() {
        return "ws://127.0.0.1:" + port + "/tunnel";
    }

    int port() {
        return port;
    }

    String fingerprint() {
        return fingerprint;
    }

    /** Ends the process at once, as kill -9 does. */
    void kill() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The same server again: same port, same data directory, so the same host key. */
    OurServer restart() throws IOException, InterruptedException {
        process.close();
        return start(jar, dir, port);
    }

    @Override
    public void close() {
        process.close();
    }
}
