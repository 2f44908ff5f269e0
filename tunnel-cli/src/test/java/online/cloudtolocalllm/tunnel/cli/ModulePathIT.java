package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI on the real module path: the modules resolve and ServiceLoader finds every provider. */
class ModulePathIT {
    private static final String MAIN = "online.cloudtolocalllm.tunnel.cli/online.cloudtolocalllm.tunnel.cli.TunnelCli";

    @Test
    void tokenRunsOnTheModulePath() throws Exception {
        try (ChildProcess token = onModulePath("token", "--secret", TestTokens.SECRET, "--user", "alice")) {
            assertThat(token.awaitExit(Duration.ofSeconds(60))).as(token.stderr()).isZero();
            assertThat(token.stdout()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
            assertThat(SignedJWT.parse(token.stdout()).getJWTClaimsSet().getSubject()).isEqualTo("alice");
        }
    }

    @Test
    void serverStartsOnTheModulePathAndServesIngress(@TempDir Path dataDir) throws Exception {
        try (ChildProcess server = onModulePath("server", "--listen", "127.0.0.1:0", "--data-dir", dataDir.toString(),
                "--jwt-secret", TestTokens.SECRET)) {
            server.awaitLine(line -> line.startsWith("host key fingerprint: SHA256:"), Duration.ofSeconds(60));
            String ready = server.awaitLine(line -> line.startsWith("ready:"), Duration.ofSeconds(30)).text();
            Matcher ingress = Pattern.compile("ingress (http://127\\.0\\.0\\.1:\\d+)/t/\\{user}/\\{service}/").matcher(ready);
            assertThat(ingress.find()).as(ready).isTrue();
            assertThat(ready).contains("ws://127.0.0.1:").contains("/tunnel");

            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(ingress.group(1) + "/t/nobody/llm/"))
                        .header("Authorization", "Bearer " + TestTokens.valid("nobody")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(missing.statusCode()).isEqualTo(404);
                assertThat(missing.body()).contains("TUNNEL_011");
            }
        }
    }

    private static ChildProcess onModulePath(String... args) {
        List<String> command = new ArrayList<>(List.of(ChildProcess.java(), "--module-path", ChildProcess.MODULES.toString(),
                "-m", MAIN));
        command.addAll(List.of(args));
        return ChildProcess.start(command);
    }
}
