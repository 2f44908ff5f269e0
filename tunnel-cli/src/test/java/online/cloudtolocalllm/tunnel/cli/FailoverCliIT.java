package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tunnel client} with two servers from its {@code --config} file: it goes live on the first, prints its failover
 * state, and when that server is killed (-9) moves to the second, where ingress reaches the service again.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailoverCliIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern ADDRESS = Pattern.compile("ws://(127\\.0\\.0\\.1:\\d+)/tunnel");

    @TempDir
    Path dir;

    private record Server(ChildProcess process, String address, String fingerprint) {
    }

    private Server server(String name) throws InterruptedException {
        ChildProcess process = ChildProcess.tunnelJar("server", "--listen", "127.0.0.1:0", "--data-dir",
                dir.resolve(name).toString(), "--jwt-secret", TestTokens.SECRET, "--keepalive", "1s", "--keepalive-timeout", "3s");
        String fingerprint = process.awaitLine(line -> line.startsWith("host key fingerprint: "), WAIT).text()
                .substring("host key fingerprint: ".length());
        Matcher address = ADDRESS.matcher(process.awaitLine(line -> line.startsWith("ready:"), WAIT).text());
        assertThat(address.find()).isTrue();
        return new Server(process, address.group(1), fingerprint);
    }

    @Test
    void theClientMovesToTheBackupWhenThePrimaryIsKilledAndSaysSo() throws Exception {
        Server primary = server("a");
        Server backup = server("b");
        try (TestHttpService llm = TestHttpService.start(); HttpClient http = HttpClient.newHttpClient()) {
            Path config = dir.resolve("client.properties");
            Files.writeString(config, String.join("\n",
                    "server=ws://" + primary.address() + ",ws://" + backup.address() + "#weight=2",
                    "token=" + TestTokens.valid("alice"),
                    "expose=llm=127.0.0.1:" + llm.port(),
                    "fingerprint=" + primary.fingerprint() + "," + backup.fingerprint(),
                    "failover-detect=2s",
                    "health-check-interval=250ms",
                    "queue-size=16",
                    "queue-deadline=5s",
                    "failback-delay=10m"));
            try (ChildProcess client = ChildProcess.tunnelJar("client", "--config", config.toString())) {
                client.awaitLine(line -> line.startsWith("failover: CONNECTED on ws://" + primary.address()), WAIT);
                assertThat(ingress(http, primary).statusCode()).isEqualTo(200);

                primary.process().process().destroyForcibly();
                String moved = client.awaitLine(line -> line.startsWith("failover: CONNECTED on ws://" + backup.address())
                        && line.contains("FAILOVER"), WAIT).text();

                assertThat(moved).contains("from ws://" + primary.address(), "to ws://" + backup.address(), "(queued 0)",
                        "ws://" + primary.address() + "=DOWN");
                assertThat(ingress(http, backup).statusCode()).isEqualTo(200);
                assertThat(client.stdout()).contains("registered: llm=127.0.0.1:" + llm.port() + " at ws://" + backup.address());
            }
        } finally {
            primary.process().close();
            backup.process().close();
        }
    }

    private static HttpResponse<String> ingress(HttpClient http, Server server) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + server.address() + "/t/alice/llm/status/200"))
                .header("Authorization", "Bearer " + TestTokens.valid("alice")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
