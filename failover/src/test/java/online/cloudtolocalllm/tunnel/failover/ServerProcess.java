package online.cloudtolocalllm.tunnel.failover;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.testing.JavaProcess;

/** A {@link ServerMain} JVM that a test kills (-9), stops gracefully (SIGTERM), pauses (SIGSTOP) and resumes. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready port=(\\d+) fingerprint=(\\S+)");

    private final JavaProcess process;
    private final int port;
    private final String fingerprint;

    private ServerProcess(JavaProcess process, int port, String fingerprint) {
        this.process = process;
        this.port = port;
        this.fingerprint = fingerprint;
    }

    /** Starts a server process on {@code port} (0: any free port), its host key kept in {@code dataDir}. */
    static JavaProcess launch(int port, Path dataDir) {
        return JavaProcess.start(List.of("-cp", System.getProperty("java.class.path"), "-Xshare:auto",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ServerMain.class.getName(),
                Integer.toString(port), dataDir.toString()));
    }

    /** Waits until the launched process listens. */
    static ServerProcess ready(JavaProcess process) throws InterruptedException {
        Matcher ready = READY.matcher(process.awaitLine(line -> READY.matcher(line).find(), Duration.ofSeconds(60)));
        if (!ready.find()) {
            throw new AssertionError("no ready line");
        }
        return new ServerProcess(process, Integer.parseInt(ready.group(1)), ready.group(2));
    }

    int port() {
        return port;
    }

    String fingerprint() {
        return fingerprint;
    }

    URI tunnelUri() {
        return URI.create("ws://127.0.0.1:" + port + "/tunnel");
    }

    URI ingressBase() {
        return URI.create("http://127.0.0.1:" + port);
    }

    boolean isAlive() {
        return process.process().isAlive();
    }

    void killHard() throws InterruptedException {
        process.process().destroyForcibly();
        process.process().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the server drains, tells its clients, and exits. */
    void stopGracefully() {
        process.process().destroy();
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.process().pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill " + signal + " failed");
        }
    }

    @Override
    public void close() {
        if (isAlive()) {
            try {
                resume();
            } catch (IOException | InterruptedException | AssertionError e) {
                // killed below anyway
            }
        }
        process.process().destroyForcibly();
        process.close();
    }
}
