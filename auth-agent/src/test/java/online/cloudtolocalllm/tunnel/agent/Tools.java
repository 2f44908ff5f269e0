package online.cloudtolocalllm.tunnel.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real OpenSSH and GnuPG tools the tests use, each bounded in time and killed if it overruns. */
final class Tools {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Tools() {
    }

    /** What a finished command said. */
    record Result(int exitCode, String out, String err) {
        Result requireSuccess(List<String> command) {
            if (exitCode != 0) {
                throw new AssertionError(command + " exited with " + exitCode + ":\n" + out + err);
            }
            return this;
        }
    }

    /** Runs {@code command} with {@code environment} added; fails the test if it does not finish within 20 s. */
    static Result run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(command + " did not finish within " + TIMEOUT);
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } finally {
            process.destroyForcibly();
        }
    }

    static Result runOk(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        return run(command, environment).requireSuccess(command);
    }

    static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, Thread::startVirtualThread);
    }

    /** A new key pair made by ssh-keygen: {@code file} and {@code file.pub}. */
    static Path keygen(Path file, String type, String comment) throws IOException, InterruptedException {
        List<String> command = type.equals("rsa")
                ? List.of("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "", "-C", comment, "-f", file.toString())
                : List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", comment, "-f", file.toString());
        runOk(command, Map.of());
        return file;
    }

    /** The fingerprint ssh-keygen prints for a public key file. */
    static String fingerprint(Path publicKey) throws IOException, InterruptedException {
        return runOk(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()), Map.of()).out().split(" ")[1];
    }

    /** A short directory for sockets (their paths are limited to about 100 bytes). */
    static Path socketDir() throws IOException {
        return Files.createTempDirectory(Path.of("/tmp"), "agt");
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
