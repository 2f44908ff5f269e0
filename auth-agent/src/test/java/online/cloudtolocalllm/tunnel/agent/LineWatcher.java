package online.cloudtolocalllm.tunnel.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Reads a process's output line by line and lets a test wait for a line, with a deadline. */
final class LineWatcher {
    private final List<String> lines = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(Predicate<String> matches, CompletableFuture<String> found) {
    }

    LineWatcher(InputStream in, String name) {
        Thread.ofVirtual().name(name).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    private synchronized void add(String line) {
        lines.add(line);
        waiters.removeIf(w -> w.matches().test(line) && w.found().complete(line));
    }

    String await(Predicate<String> matches, Duration timeout, String what) {
        CompletableFuture<String> found = new CompletableFuture<>();
        synchronized (this) {
            lines.stream().filter(matches).findFirst().ifPresentOrElse(found::complete, () -> waiters.add(new Waiter(matches, found)));
        }
        try {
            return found.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("No line within " + timeout + ": " + what + "; output was:\n" + text(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    synchronized String text() {
        return String.join("\n", lines);
    }
}
