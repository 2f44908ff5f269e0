package online.cloudtolocalllm.tunnel.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP service for ingress tests, on a free loopback port:
 * <ul>
 * <li>{@code /echo} answers 200 with the request body, and the method, path and some request headers in
 * {@code X-Seen-*} headers;</li>
 * <li>{@code /status/{code}} answers that status with a short body;</li>
 * <li>{@code /ndjson?lines=N&delayMs=D} streams N NDJSON lines, chunked, one every D ms, like an LLM's tokens;</li>
 * <li>{@code /sse?events=N&delayMs=D} streams server-sent events;</li>
 * <li>{@code /bytes?size=N} answers N deterministic bytes with a Content-Length;</li>
 * <li>{@code /close} answers without a length and closes the connection to end the body.</li>
 * </ul>
 */
public final class TestHttpService implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private TestHttpService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static TestHttpService start() {
        try {
            return new TestHttpService();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests served so far. */
    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = uri.getPath();
            Map<String, String> query = query(uri.getRawQuery());
            switch (path.startsWith("/status/") ? "/status" : path) {
                case "/echo" -> echo(exchange);
                case "/status" -> text(exchange, Integer.parseInt(path.substring("/status/".length())), "status " + path);
                case "/ndjson" -> stream(exchange, "application/x-ndjson", number(query, "lines", 5),
                        number(query, "delayMs", 100), i -> "{\"token\":" + i + ",\"done\":false}\n");
                case "/sse" -> stream(exchange, "text/event-stream", number(query, "events", 5),
                        number(query, "delayMs", 100), i -> "data: event " + i + "\n\n");
                case "/bytes" -> bytes(exchange, number(query, "size", 1024));
                case "/close" -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().write("body ends with the connection".getBytes(StandardCharsets.UTF_8));
                }
                default -> text(exchange, 404, "no such test path " + path);
            }
        }
    }

    private static void echo(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        var headers = exchange.getResponseHeaders();
        headers.set("X-Seen-Method", exchange.getRequestMethod());
        headers.set("X-Seen-Uri", exchange.getRequestURI().toString());
        for (String name : List.of("Host", "Authorization", "X-Custom", "X-Forwarded-For", "X-Forwarded-Prefix", "X-Forwarded-Proto",
                "Connection")) {
            String value = exchange.getRequestHeaders().getFirst(name);
            headers.set("X-Seen-" + name, value == null ? "(none)" : value);
        }
        headers.set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static void text(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void stream(HttpExchange exchange, String type, int count, int delayMs,
            java.util.function.IntFunction<String> item) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < count; i++) {
            out.write(item.apply(i).getBytes(StandardCharsets.UTF_8));
            out.flush();
            pause(delayMs);
        }
    }

    private static void bytes(HttpExchange exchange, int size) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, size);
        OutputStream out = exchange.getResponseBody();
        byte[] chunk = new byte[8192];
        for (int sent = 0; sent < size; sent += chunk.length) {
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) (sent + i);
            }
            out.write(chunk, 0, Math.min(chunk.length, size - sent));
        }
    }

    /** The bytes {@code /bytes?size=N} answers. */
    public static byte[] expectedBytes(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        java.util.HashMap<String, String> values = new java.util.HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            values.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return values;
    }

    private static int number(Map<String, String> query, String name, int fallback) {
        String value = query.get(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
