package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A started process whose merged output is read line by line (and copied to a log file, if given). Close it to
 * end it and everything it started.
 */
final class Proc implements AutoCloseable {
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final String name;
    private volatile boolean drained;

    private Proc(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        // a platform thread: a blocking pipe read pins a virtual thread's carrier, and a fleet of a thousand
        // processes would exhaust the carriers
        Thread.ofPlatform().daemon().name("proc-" + name).start(() -> pump(log));
    }

    /** Starts {@code command}, pinned to {@code core} with taskset. */
    static Proc start(String name, int core, List<String> command, Path log) {
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", Integer.toString(core)));
        pinned.addAll(command);
        try {
            return new Proc(name, new ProcessBuilder(pinned).redirectErrorStream(true).start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code command} to its end and returns its output; fails on a non-zero exit. */
    static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            if (status != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + status + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void pump(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer out = log == null ? Writer.nullWriter() : Files.newBufferedWriter(log)) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
                out.write(line);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            drained = true;
        }
    }

    /** Waits for an output line matching {@code wanted}; fails with the output so far after {@code timeout}. */
    String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(Math.min(left, 50_000_000L), TimeUnit.NANOSECONDS) : null;
            if (line != null) {
                seen.add(line);
                if (wanted.test(line)) {
                    return line;
                }
            } else if (left <= 0 || (drained && lines.isEmpty())) {
                throw new IllegalStateException(name + ": no expected line within " + timeout
                        + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; output:\n" + String.join("\n", seen));
            }
        }
    }

    /** The process itself, not the taskset wrapper (taskset execs the command, so the pid is the same). */
    long pid() {
        return process.pid();
    }

    /** Writes a line to the process's standard input. */
    void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asks the process to end (SIGTERM) and waits up to {@code timeout} while its output is still read, unlike
     * {@link Process#destroy}, which also closes the pipes: a JVM writing at exit, or a child it starts then, would
     * die of the broken pipe. {@link #close} ends what is still running after that.
     */
    void stop(Duration timeout) throws InterruptedException {
        process.toHandle().destroy();
        process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
