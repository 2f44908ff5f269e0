package online.cloudtolocalllm.tunnel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import online.cloudtolocalllm.tunnel.testing.JavaProcess;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples run as real programs on the module path (every artifact a named or automatic module, providers found
 * through the module graph), and a request through ingress reaches the service the client example exposes.
 */
class ExamplesOnModulePathIT {
    @TempDir
    Path dataDir;

    @Test
    void serverAndClientExamplesTunnelARequestOnTheModulePath() throws Exception {
        String modulePath = "target/classes" + File.pathSeparator + "target/modules";
        assertThat(Files.isDirectory(Path.of("target/modules"))).as("dependencies copied at package").isTrue();
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (TestHttpService local = TestHttpService.start();
                JavaProcess server = JavaProcess.start(List.of("--module-path", modulePath, "-m",
                        "online.cloudtolocalllm.tunnel.examples/online.cloudtolocalllm.tunnel.examples.ServerExample",
                        Integer.toString(port), dataDir.toString(), TestTokens.SECRET))) {
            String hostKey = server.awaitLine(line -> line.startsWith("host key: "), Duration.ofSeconds(60)).substring(10);
            server.awaitLine(line -> line.startsWith("ready: "), Duration.ofSeconds(30));

            try (JavaProcess client = JavaProcess.start(List.of("--module-path", modulePath, "-m",
                    "online.cloudtolocalllm.tunnel.examples/online.cloudtolocalllm.tunnel.examples.ClientExample",
                    "ws://127.0.0.1:" + port, TestTokens.valid("alice"), hostKey, Integer.toString(local.port())))) {
                client.awaitLine(line -> line.startsWith("registered: "), Duration.ofSeconds(60));

                HttpResponse<String> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/t/alice/llm/echo"))
                                .header("Authorization", "Bearer " + TestTokens.valid("alice"))
                                .POST(HttpRequest.BodyPublishers.ofString("through the module path")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("through the module path");
            }
        }
    }
}
