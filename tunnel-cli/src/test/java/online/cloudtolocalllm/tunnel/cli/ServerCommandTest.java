package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import online.cloudtolocalllm.tunnel.testing.Commands;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option checks of {@code tunnel server} that refuse to start; ServerAndClientIT and ModulePathIT run it. */
class ServerCommandTest {
    @TempDir
    Path dataDir;

    @Test
    void aSecretAndAJwksUrlTogetherAreAUsageError() {
        CliRun.Result run = server("--jwks-url", "https://idp.example.com/jwks.json");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString()
                .isEqualTo("tunnel server: Give either a JWT secret or a JWKS URL, not both (see 'tunnel server --help')");
    }

    @Test
    void aNegativeIngressReconnectWaitIsAUsageError() {
        CliRun.Result run = server("--ingress-reconnect-wait", "PT-1S");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("ingressReconnectWait must not be negative");
    }

    @Test
    void aKeepaliveTimeoutShorterThanTheIntervalIsAUsageError() {
        CliRun.Result run = server("--keepalive", "20s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("keepAliveTimeout PT15S must be longer than keepAliveInterval PT20S");
    }

    @Test
    void hostKeyRotationNeedsAnIntervalAndAShorterOverlap() {
        assertThat(server("--host-key-rotation", "30d").err()).contains("Expected --host-key-rotation INTERVAL/OVERLAP such as 30d/2d, got '30d'");

        CliRun.Result run = server("--host-key-rotation", "1d/2d");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("host-key rotation overlap PT48H must be shorter than its interval PT24H");
    }

    @Test
    void aHostCertificateMustBeACertificateAndExcludesRotation() {
        Commands.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dataDir.resolve("plain").toString());
        String plainKey = dataDir.resolve("plain.pub").toString();

        CliRun.Result notACertificate = server("--host-cert", plainKey);
        assertThat(notACertificate.exitCode()).isEqualTo(1);
        assertThat(notACertificate.err()).contains("holds a plain public key, not an OpenSSH certificate");

        CliRun.Result withRotation = server("--host-cert", plainKey, "--host-key-rotation", "30d/2d");
        assertThat(withRotation.exitCode()).isEqualTo(2);
        assertThat(withRotation.err()).contains("A host certificate certifies one key");
    }

    @Test
    void aPublicServiceNeedsAUser() {
        CliRun.Result run = server("--public", "llm");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Expected USER/SERVICE, got 'llm'");
    }

    @Test
    void aTcpListenerNeedsAnAddress() {
        CliRun.Result run = server("--tcp-listener", "alice/db");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("USER/SERVICE=HOST:PORT");
    }

    @Test
    void aPoolMinimumAboveItsSizeIsAUsageError() {
        CliRun.Result run = server("--ingress-pool-size", "4", "--ingress-pool-min-idle", "8");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Need 0 <= minIdle <= maxSize", "minIdle 8 and maxSize 4");
    }

    @Test
    void aBadListenAddressIsAUsageError() {
        CliRun.Result run = server("--listen", "8080");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--listen", "Expected host:port, got '8080'");
    }

    @Test
    void withoutAnyAuthenticationTheServerRefusesToStart() {
        CliRun.Result run = CliRun.run("server", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString().startsWith("tunnel server: TUNNEL_010: No authentication");
    }

    private CliRun.Result server(String... extra) {
        String[] args = new String[5 + extra.length];
        System.arraycopy(new String[] {"server", "--data-dir", dataDir.toString(), "--jwt-secret", TestTokens.SECRET}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        return CliRun.run(args);
    }
}
