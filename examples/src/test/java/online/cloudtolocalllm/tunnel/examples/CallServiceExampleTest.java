package online.cloudtolocalllm.tunnel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server code reaches a user's service through the Java API, as the example shows. */
class CallServiceExampleTest {
    @TempDir
    Path dataDir;

    @Test
    void getsAnAnswerFromTheUsersService() throws Exception {
        try (TestHttpService local = TestHttpService.start(); TestServer tunnel = TestServer.start(dataDir)) {
            tunnel.connect("alice", new ExposedService("llm", "127.0.0.1", local.port()));
            String response = CallServiceExample.get(tunnel.server(), "alice", "llm", "/status/200");
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("status /status/200");
        }
    }
}
