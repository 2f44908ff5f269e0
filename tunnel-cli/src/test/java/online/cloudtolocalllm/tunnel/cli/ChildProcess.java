package online.cloudtolocalllm.tunnel.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process started by a test: its standard output read line by line with arrival times, its standard error kept.
 * Closing it ends it and everything it started.
 */
final class ChildProcess implements AutoCloseable {
    /** The tunnel.jar under test. */
    static final Path JAR = Path.of(System.getProperty("tunnel.jar", "target/tunnel.jar"));
    /** The runtime modules plus tunnel-cli's own jar. */
    static final Path MODULES = Path.of(System.getProperty("tunnel.modules", "target/modules"));

    /** A line of output and when it arrived ({@link System#nanoTime()}). */
    record Line(String text, long nanos) {
    }

    private final String name;
    private final Process process;
    private final BlockingQueue<Line> unread = new LinkedBlockingQueue<>();
    private final List<Line> lines = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ChildProcess(List<String> command) {
        this.name = String.join(" ", command);
        try {
            process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
        stdoutReader = Thread.ofPlatform().daemon().name("stdout-reader").start(() -> readLines(process.getInputStream()));
        stderrReader = Thread.ofPlatform().daemon().name("stderr-reader").start(() -> readInto(process.getErrorStream(), stderr));
    }

    /** The java binary running this test. */
    static String java() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }

    /** {@code java -jar tunnel.jar args...}. */
    static ChildProcess tunnelJar(String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return start(command);
    }

    static ChildProcess start(List<String> command) {
        return new ChildProcess(command);
    }

    /** The next output line that {@code matches}, skipping others; fails after {@code timeout}. */
    Line awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Line line = unread.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("No matching line within " + timeout + " from " + name + "\nstdout: " + stdout()
                        + "\nstderr: " + stderr() + "\nalive: " + process.isAlive());
            }
            if (matches.test(line.text())) {
                return line;
            }
        }
    }

    /** Waits for the process to end by itself and its output to be read; fails after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + timeout + "\nstdout: " + stdout() + "\nstderr: " + stderr());
        }
        // the readers may not have taken the last output yet when the exit is seen
        stdoutReader.join(Duration.ofSeconds(5));
        stderrReader.join(Duration.ofSeconds(5));
        return process.exitValue();
    }

    /** Every output line so far, with arrival times. */
    List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String stdout() {
        return String.join("\n", lines().stream().map(Line::text).toList());
    }

    String stderr() {
        return stderr.toString();
    }

    Process process() {
        return process;
    }

    private void readLines(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String text; (text = reader.readLine()) != null; ) {
                Line line = new Line(text, System.nanoTime());
                synchronized (lines) {
                    lines.add(line);
                }
                unread.add(line);
            }
        } catch (IOException endedAndClosed) {
            // the JDK closes the pipe once the process has ended and its remaining output was read
        }
    }

    private static void readInto(InputStream in, StringBuffer into) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String text; (text = reader.readLine()) != null; ) {
                into.append(text).append('\n');
            }
        } catch (IOException endedAndClosed) {
            // as for standard output
        }
    }

    /** Asks the process and its descendants to stop (SIGTERM), then kills what is left after 15 s. */
    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
