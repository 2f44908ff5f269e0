package online.cloudtolocalllm.tunnel.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP service that answers like Ollama's API, for the demo: {@code POST /api/generate} streams an answer as
 * NDJSON, one token per line at a steady pace and chunked as it goes, then a final {@code "done":true} object;
 * {@code GET /api/tags} lists the one model.
 */
final class DemoLlmService implements AutoCloseable {
    static final String MODEL = "demo";
    static final List<String> ANSWER = List.of("The ", "sky ", "looks ", "blue ", "because ", "air ", "molecules ",
            "scatter ", "the ", "short ", "blue ", "waves ", "of ", "sunlight ", "far ", "more ", "than ", "the ", "red ",
            "ones.");
    private static final Pattern MODEL_FIELD = Pattern.compile("\"model\"\\s*:\\s*\"([A-Za-z0-9._:-]{1,64})\"");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Duration tokenInterval;

    private DemoLlmService(Duration tokenInterval) throws IOException {
        this.tokenInterval = tokenInterval;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/api/generate", this::generate);
        server.createContext("/api/tags", this::tags);
        server.createContext("/", this::root);
        server.start();
    }

    /** Starts the service on a free loopback port, sending a token every {@code tokenInterval}. */
    static DemoLlmService start(Duration tokenInterval) throws IOException {
        return new DemoLlmService(tokenInterval);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void generate(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                respond(exchange, 405, "application/json", "{\"error\":\"use POST\"}\n");
                return;
            }
            String model = requestedModel(exchange.getRequestBody());
            exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            for (String token : ANSWER) {
                line(body, "{\"model\":\"" + model + "\",\"created_at\":\"" + Instant.now() + "\",\"response\":\"" + token
                        + "\",\"done\":false}");
                Thread.sleep(tokenInterval);
            }
            line(body, "{\"model\":\"" + model + "\",\"created_at\":\"" + Instant.now()
                    + "\",\"response\":\"\",\"done\":true,\"done_reason\":\"stop\",\"eval_count\":" + ANSWER.size() + "}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tags(HttpExchange exchange) throws IOException {
        try (exchange) {
            respond(exchange, 200, "application/json", "{\"models\":[{\"name\":\"" + MODEL + "\",\"model\":\"" + MODEL
                    + "\",\"modified_at\":\"" + Instant.now() + "\",\"size\":0,\"details\":{\"family\":\"" + MODEL
                    + "\",\"parameter_size\":\"0B\"}}]}\n");
        }
    }

    private void root(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestURI().getPath().equals("/")) {
                respond(exchange, 200, "text/plain; charset=utf-8", "Demo LLM is running\n");
            } else {
                respond(exchange, 404, "application/json", "{\"error\":\"not found\"}\n");
            }
        }
    }

    private static String requestedModel(InputStream request) throws IOException {
        Matcher model = MODEL_FIELD.matcher(new String(request.readAllBytes(), StandardCharsets.UTF_8));
        return model.find() ? model.group(1) : MODEL;
    }

    private static void line(OutputStream body, String json) throws IOException {
        body.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        body.flush();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
