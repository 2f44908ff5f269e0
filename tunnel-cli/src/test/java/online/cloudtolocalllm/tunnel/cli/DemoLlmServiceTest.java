package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoLlmServiceTest {
    private static final Duration INTERVAL = Duration.ofMillis(50);

    private DemoLlmService service;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        service = DemoLlmService.start(INTERVAL);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        http.close();
        service.close();
    }

    @Test
    void generateStreamsOneJsonTokenPerLineAsItIsProduced() throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri("/api/generate"))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"demo\",\"prompt\":\"Why is the sky blue?\"}"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        List<String> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = body.readLine()) != null; ) {
                lines.add(line);
                arrivals.add(System.nanoTime());
            }
        }
        assertThat(lines).hasSize(DemoLlmService.ANSWER.size() + 1);
        assertThat(lines.getFirst()).matches("\\{\"model\":\"demo\",\"created_at\":\"[^\"]+\",\"response\":\"The \",\"done\":false}");
        assertThat(lines.getLast()).contains("\"done\":true", "\"response\":\"\"");
        assertThat(lines.subList(0, lines.size() - 1)).allMatch(line -> line.endsWith("\"done\":false}"));
        Duration spread = Duration.ofNanos(arrivals.getLast() - arrivals.getFirst());
        assertThat(spread).as("tokens arrive over time, not at once").isGreaterThan(INTERVAL.multipliedBy(DemoLlmService.ANSWER.size() / 2));
    }

    @Test
    void tagsListTheDemoModel() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/tags")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"models\":[{\"name\":\"demo\"");
    }

    @Test
    void generateWantsPost() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/generate")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void otherPathsAreNotFound() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/nothing")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.port() + path);
    }
}
