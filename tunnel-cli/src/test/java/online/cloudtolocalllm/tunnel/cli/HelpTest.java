package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HelpTest {

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("server", new String[] {"--listen", "--data-dir", "--jwt-secret", "--jwks-url",
                        "--authorized-keys", "--public", "--forward-allow", "--tcp-listener", "--keepalive",
                        "--keepalive-timeout", "--config", "ready:"}),
                Arguments.of("client", new String[] {"--server", "--token", "--expose", "--fingerprint", "--known-hosts",
                        "--trust-on-first-use", "--identity", "--user", "--config", "registered:"}),
                Arguments.of("connect", new String[] {"--stdio", "--server", "--token", "ProxyCommand", "--config"}),
                Arguments.of("token", new String[] {"--secret", "--user", "--ttl", "--config"}),
                Arguments.of("keygen", new String[] {"--out", "--comment", ".pub", "--config"}),
                Arguments.of("demo", new String[] {"--port", "curl", "--config"}));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void eachCommandExplainsItsOptionsAndTheConfigFile(String command, String[] mentions) {
        CliRun.Result help = CliRun.run(command, "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("Usage: tunnel " + command).contains(mentions)
                .contains("Examples:").contains("long option name without dashes");
        assertThat(help.err()).isEmpty();
    }

    @Test
    void rootHelpListsEveryCommand() {
        CliRun.Result help = CliRun.run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("Usage: tunnel", "server", "client", "connect", "token", "keygen", "demo",
                "/t/{user}/ {service}/", "--config");
    }

    @Test
    void helpSubcommandShowsACommandsUsage() {
        assertThat(CliRun.run("help", "token").out()).contains("Usage: tunnel token", "--secret");
    }

    @Test
    void versionNamesTheRelease() {
        CliRun.Result version = CliRun.run("server", "--version");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("tunnel ").doesNotContain("unknown").doesNotContain("${");
    }

    @Test
    void missingCommandIsAOneLineUsageError() {
        CliRun.Result run = CliRun.run();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("Missing command", "server", "tunnel --help");
    }

    @Test
    void unknownOptionIsAOneLineUsageErrorWithoutStackTrace() {
        CliRun.Result run = CliRun.run("token", "--secret", "s".repeat(32), "--user", "a", "--sekret", "x");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("tunnel token: ").contains("--sekret", "tunnel token --help");
        assertThat(run.out()).isEmpty();
    }
}
