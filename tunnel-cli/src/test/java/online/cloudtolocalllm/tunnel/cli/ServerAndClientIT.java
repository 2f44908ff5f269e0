package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tunnel server} and {@code tunnel client} from tunnel.jar, talking to each other. */
class ServerAndClientIT {
    private static final String WRONG_FINGERPRINT = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    @TempDir
    Path dir;

    @Test
    void clientExposesAServiceThatIngressReachesAndAWrongFingerprintFails() throws Exception {
        HttpServer local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        local.createContext("/", exchange -> {
            byte[] body = "local service".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        local.start();
        try (ChildProcess server = ChildProcess.tunnelJar("server", "--listen", "127.0.0.1:0", "--data-dir",
                dir.toString(), "--jwt-secret", TestTokens.SECRET)) {
            String fingerprint = server.awaitLine(line -> line.startsWith("host key fingerprint: "), Duration.ofSeconds(60))
                    .text().substring("host key fingerprint: ".length());
            String ready = server.awaitLine(line -> line.startsWith("ready:"), Duration.ofSeconds(30)).text();
            Matcher address = Pattern.compile("ws://(127\\.0\\.0\\.1:\\d+)/tunnel").matcher(ready);
            assertThat(address.find()).as(ready).isTrue();
            String token = TestTokens.valid("alice");
            String expose = "web=127.0.0.1:" + local.getAddress().getPort();

            try (ChildProcess wrong = ChildProcess.tunnelJar("client", "--server", "ws://" + address.group(1), "--token",
                    token, "--expose", expose, "--fingerprint", WRONG_FINGERPRINT)) {
                assertThat(wrong.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
                assertThat(wrong.stdout()).isEmpty();
                assertThat(wrong.stderr()).contains("tunnel client: TUNNEL_008", WRONG_FINGERPRINT, fingerprint)
                        .doesNotContain("\tat ");
            }

            try (ChildProcess client = ChildProcess.tunnelJar("client", "--server", "ws://" + address.group(1), "--token",
                    token, "--expose", expose, "--fingerprint", fingerprint);
                    HttpClient http = HttpClient.newHttpClient()) {
                String registered = client.awaitLine(line -> line.startsWith("registered:"), Duration.ofSeconds(60)).text();
                assertThat(registered).contains(expose, "alice");

                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + address.group(1) + "/t/alice/web/"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("local service");
            }

            // the client has exited; the server notices its session end on its own, before it is stopped
            Await.until(Duration.ofSeconds(10), "the server reports the end of the client's session (DISCONNECTED)",
                    () -> server.stderr().contains("DISCONNECTED"));
            assertThat(server.stderr()).contains("CONNECTED", "SERVICE_REGISTERED");
            server.process().destroy();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).as("ended by SIGTERM").isEqualTo(143);
        } finally {
            local.stop(0);
        }
    }
}
