package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The argument checks of {@code tunnel connect}; the bridge itself is in StdioBridgeTest and OpenSshIT. */
class ConnectCommandTest {

    @Test
    void theServerIsRequired() {
        CliRun.Result run = CliRun.run("connect", "--stdio", "--token", "jwt");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString().contains("--server URI or SERVER");
    }

    @Test
    void theServerIsGivenOnlyOnce() {
        CliRun.Result run = CliRun.run("connect", "--stdio", "--server", "ws://127.0.0.1:1", "ws://127.0.0.1:2",
                "--token", "jwt");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Give the server once");
    }

    @Test
    void stdioIsTheOneModeAndMustBeAskedFor() {
        CliRun.Result run = CliRun.run("connect", "--server", "ws://127.0.0.1:1", "--token", "jwt");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--stdio");
    }

    @Test
    void aServerWithoutHostIsAUsageError() {
        CliRun.Result run = CliRun.run("connect", "--stdio", "--server", "127.0.0.1:8080", "--token", "jwt");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("ws://host:8080");
    }

    @Test
    void tlsTrustAppliesToWssServersOnly() {
        CliRun.Result run = CliRun.run("connect", "--stdio", "--server", "ws://127.0.0.1:8080", "--token", "jwt",
                "--tls-pin", "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("TLS trust and pins apply to wss:// servers");
    }
}
