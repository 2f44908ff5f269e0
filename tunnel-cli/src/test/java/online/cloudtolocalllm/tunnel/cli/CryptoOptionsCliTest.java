package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --crypto-profile}, {@code --kex}, {@code --ciphers}, {@code --macs} and the rekey limits, from the command line and the config file. */
class CryptoOptionsCliTest {
    @TempDir
    Path dir;

    @Test
    void theConfigFileAndTheCommandLineMakeTheCryptoOptions() throws Exception {
        Path config = Files.writeString(dir.resolve("server.properties"), "crypto-profile=compatible\n"
                + "kex=curve25519-sha256,ecdh-sha2-nistp256\nrekey-bytes=64m\n");
        String[] args = {"server", "--config", config.toString(), "--data-dir", dir.toString(), "--ciphers", "aes256-ctr",
                "--macs", "hmac-sha2-512-etm@openssh.com", "--rekey-interval", "30m"};
        CliRun server = CliRun.prepare(args);

        server.commandLine.parseArgs(args);

        ServerCommand command = server.commandLine.getSubcommands().get("server").getCommand();
        CryptoOptions options = command.crypto.options();
        assertThat(options.profile()).contains("compatible");
        assertThat(options.kex()).containsExactly("curve25519-sha256", "ecdh-sha2-nistp256");
        assertThat(options.ciphers()).containsExactly("aes256-ctr");
        assertThat(options.macs()).containsExactly("hmac-sha2-512-etm@openssh.com");
        assertThat(options.rekeyBytes()).isEqualTo(64L << 20);
        assertThat(options.rekeyInterval()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void withoutCryptoOptionsTheDefaultsApply() {
        String[] args = {"client", "--server", "ws://127.0.0.1:1", "--token", TestTokens.valid("alice"), "--trust-on-first-use"};
        CliRun client = CliRun.prepare(args);

        client.commandLine.parseArgs(args);

        ClientCommand command = client.commandLine.getSubcommands().get("client").getCommand();
        CryptoOptions options = command.crypto.options();
        assertThat(options.choosesAlgorithms()).isFalse();
        assertThat(options.rekeyBytes()).isEqualTo(CryptoOptions.DEFAULT_REKEY_BYTES);
        assertThat(options.rekeyInterval()).isEqualTo(CryptoOptions.DEFAULT_REKEY_INTERVAL);
    }

    @Test
    void anUnknownProfileStopsTheServerWithTheKnownOnes() {
        CliRun.Result run = CliRun.run("server", "--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
                "--jwt-secret", TestTokens.SECRET, "--crypto-profile", "paranoid");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("Unknown crypto profile 'paranoid'; known: compatible, modern");
    }

    @Test
    void theFipsProfileStopsTheServerNamingTheArtifactItNeeds() {
        CliRun.Result run = CliRun.run("server", "--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
                "--jwt-secret", TestTokens.SECRET, "--crypto-profile", "fips");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("the fips profile needs the artifact online.cloudtolocalllm.tunnel:crypto-fips in place of "
                + "online.cloudtolocalllm.tunnel:crypto");
    }

    @Test
    void anUnsupportedAlgorithmStopsTheServerNamingIt() {
        CliRun.Result run = CliRun.run("server", "--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
                "--jwt-secret", TestTokens.SECRET, "--kex", "kyber-512");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("Unsupported key exchange 'kyber-512'; supported here:");
    }
}
