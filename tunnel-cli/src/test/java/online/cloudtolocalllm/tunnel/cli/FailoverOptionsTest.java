package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.Test;

/** Usage errors of the client's server list and failover options, reported before anything connects. */
class FailoverOptionsTest {
    private static final String FINGERPRINT = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    @Test
    void aWeightOnTheOnlyServerIsAUsageError() {
        CliRun.Result run = CliRun.run("client", "--server", "ws://127.0.0.1:1#weight=2", "--token", TestTokens.valid("alice"),
                "--fingerprint", FINGERPRINT);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("choose among several --server options");
    }

    @Test
    void anUnknownEndpointSettingIsAUsageError() {
        CliRun.Result run = CliRun.run("client", "--server", "ws://127.0.0.1:1", "--server", "ws://127.0.0.1:2#speed=9",
                "--token", TestTokens.valid("alice"), "--fingerprint", FINGERPRINT);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown endpoint setting 'speed'");
    }

    @Test
    void aServerWithoutSchemeIsAUsageError() {
        CliRun.Result run = CliRun.run("client", "--server", "ws://127.0.0.1:1", "--server", "127.0.0.1:2",
                "--token", TestTokens.valid("alice"), "--fingerprint", FINGERPRINT);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Expected a URI with a scheme and a host");
    }

    @Test
    void aNegativeQueueSizeIsAUsageError() {
        CliRun.Result run = CliRun.run("client", "--server", "ws://127.0.0.1:1", "--server", "ws://127.0.0.1:2",
                "--token", TestTokens.valid("alice"), "--fingerprint", FINGERPRINT, "--queue-size", "-1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("queueSize must be 0 or more");
    }
}
