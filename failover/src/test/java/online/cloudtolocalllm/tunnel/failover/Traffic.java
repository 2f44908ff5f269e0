package online.cloudtolocalllm.tunnel.failover;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.testing.TestTokens;

/**
 * A steady stream of requests through the tunnel, each one accounted for: ingress requests to alice's {@code llm}
 * service and forward streams to an echo service through the failover client. A request succeeds, gets an explicit
 * error (an HTTP error with a TUNNEL_ code, a tunnel error code, a refused or reset connection), or hangs: no answer
 * within {@link #HUNG_AFTER}.
 */
final class Traffic implements AutoCloseable {
    static final Duration HUNG_AFTER = Duration.ofSeconds(25);
    private static final Duration PERIOD = Duration.ofMillis(40);
    private static final Pattern CODE = Pattern.compile("\"code\":\"(TUNNEL_\\d+)\"");

    enum Kind { INGRESS, FORWARD }

    enum Outcome { OK, ERROR, HUNG }

    /** One request's fate: when it started and ended ({@link System#nanoTime()}), and what it got. */
    record Result(Kind kind, long started, long ended, Outcome outcome, String detail) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Supplier<URI> ingressBase;
    private final FailoverTunnelClient client;
    private final int echoPort;
    private final List<Result> results = new ArrayList<>();
    private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final String token = TestTokens.valid("alice");
    private volatile boolean running = true;
    private final Thread driver;

    /** Starts sending: ingress to {@code ingressBase} (asked before each request), forward streams through {@code client}. */
    Traffic(Supplier<URI> ingressBase, FailoverTunnelClient client, int echoPort) {
        this.ingressBase = ingressBase;
        this.client = client;
        this.echoPort = echoPort;
        this.driver = Thread.ofPlatform().daemon().name("traffic").start(this::drive);
    }

    private void drive() {
        while (running) {
            launch(Kind.INGRESS, this::ingress);
            launch(Kind.FORWARD, this::forward);
            try {
                Thread.sleep(PERIOD);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private interface Request {
        Result run(long started) throws Exception;
    }

    private void launch(Kind kind, Request request) {
        sent.incrementAndGet();
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (results) {
            inFlight.add(done);
        }
        Thread.ofVirtual().start(() -> {
            long started = System.nanoTime();
            Result result;
            try {
                result = request.run(started);
            } catch (Exception e) {
                result = failure(kind, started, e);
            }
            synchronized (results) {
                results.add(result);
                inFlight.remove(done);
            }
            done.complete(null);
        });
    }

    private Result ingress(long started) throws Exception {
        URI uri = ingressBase.get().resolve("/t/alice/llm/status/200");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(HUNG_AFTER)
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
            return new Result(Kind.INGRESS, started, System.nanoTime(), Outcome.OK, "200");
        }
        Matcher code = CODE.matcher(response.body());
        return new Result(Kind.INGRESS, started, System.nanoTime(), Outcome.ERROR, "HTTP " + response.statusCode()
                + (code.find() ? " " + code.group(1) : "") + response.headers().firstValue("Retry-After").map(s -> " Retry-After").orElse(""));
    }

    private Result forward(long started) throws Exception {
        CompletableFuture<String> echoed = client.openStream("127.0.0.1", echoPort).thenApplyAsync(stream -> {
            try (TunnelStream open = stream) {
                String line = "ping " + started + "\n";
                open.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII))).join();
                return new BufferedReader(new InputStreamReader(open.inputStream(), StandardCharsets.US_ASCII)).readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String answer = echoed.get(HUNG_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        boolean ok = ("ping " + started).equals(answer);
        return new Result(Kind.FORWARD, started, System.nanoTime(), ok ? Outcome.OK : Outcome.ERROR,
                ok ? "echoed" : "stream ended early: " + answer);
    }

    private static Result failure(Kind kind, long started, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof TunnelException coded) {
                return new Result(kind, started, System.nanoTime(), Outcome.ERROR, coded.code().code());
            }
        }
        boolean hung = cause instanceof TimeoutException || cause instanceof HttpTimeoutException;
        return new Result(kind, started, System.nanoTime(), hung ? Outcome.HUNG : Outcome.ERROR, cause.getClass().getSimpleName());
    }

    /** Stops sending and waits for every request in flight to end, each bounded by {@link #HUNG_AFTER}. */
    void stop() throws Exception {
        running = false;
        driver.join(Duration.ofSeconds(5));
        List<CompletableFuture<Void>> waiting;
        synchronized (results) {
            waiting = List.copyOf(inFlight);
        }
        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new))
                .get(HUNG_AFTER.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    }

    List<Result> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    int sent() {
        return sent.get();
    }

    /** Successful requests of {@code kind} that started after {@code since}. */
    long okSince(Kind kind, long since) {
        return results().stream().filter(r -> r.kind() == kind && r.outcome() == Outcome.OK && r.started() > since).count();
    }

    /** How long after {@code since} the first request of {@code kind} sent since then succeeded. */
    Duration resumedAfter(Kind kind, long since) {
        return results().stream().filter(r -> r.kind() == kind && r.outcome() == Outcome.OK && r.started() >= since)
                .mapToLong(Result::ended).min().stream().mapToObj(first -> Duration.ofNanos(first - since)).findFirst()
                .orElseThrow(() -> new AssertionError(kind + " never resumed"));
    }

    long count(Kind kind, Outcome outcome) {
        return results().stream().filter(r -> r.kind() == kind && r.outcome() == outcome).count();
    }

    /** Totals per kind and outcome, errors by what they were. */
    String report(String scenario) {
        StringBuilder text = new StringBuilder("[" + scenario + "] sent " + sent() + ", answered " + results().size());
        for (Kind kind : Kind.values()) {
            Map<String, Integer> errors = new TreeMap<>();
            results().stream().filter(r -> r.kind() == kind && r.outcome() == Outcome.ERROR)
                    .forEach(r -> errors.merge(r.detail(), 1, Integer::sum));
            text.append("\n  ").append(kind).append(": ok ").append(count(kind, Outcome.OK)).append(", explicit errors ")
                    .append(count(kind, Outcome.ERROR)).append(' ').append(errors).append(", hung ").append(count(kind, Outcome.HUNG));
        }
        return text.toString();
    }

    /** Stops sending without waiting, for a test that failed half-way. */
    @Override
    public void close() {
        running = false;
    }
}
