package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureReportTest {
    @TempDir
    Path dir;
    private Properties saved;

    @BeforeEach
    void keepSystemProperties() {
        saved = (Properties) System.getProperties().clone();
    }

    @AfterEach
    void restoreSystemProperties() {
        System.setProperties(saved);
    }

    @Test
    void aFailureIsOneLineWithItsCodeAndNoStackTrace() throws Exception {
        Path key = Files.writeString(dir.resolve("id"), "taken");

        CliRun.Result run = CliRun.run("keygen", "--out", key.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("tunnel keygen: TUNNEL_010: ");
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        Path key = Files.writeString(dir.resolve("id"), "taken");

        CliRun.Result run = CliRun.run("keygen", "--verbose", "--out", key.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("tunnel keygen: TUNNEL_010: ")
                .contains("online.cloudtolocalllm.tunnel.api.TunnelException", "\tat ");
    }

    @Test
    void verboseRaisesTheLogLevel() {
        CliRun.run("token", "--verbose", "--help");

        assertThat(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel")).isEqualTo("info");
    }
}
