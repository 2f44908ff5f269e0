package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void optionsComeFromTheFileByTheirLongNames() throws Exception {
        Path config = write("secret=" + TestTokens.SECRET + "\nuser=carol\nttl=2h\n");

        CliRun.Result run = CliRun.run("token", "--config", config.toString());

        assertThat(run.exitCode()).isZero();
        JWTClaimsSet claims = SignedJWT.parse(run.out().strip()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("carol");
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void theCommandLineWins() throws Exception {
        Path config = write("secret=" + TestTokens.SECRET + "\nuser=carol\n");

        CliRun.Result run = CliRun.run("token", "--user", "dave", "--config=" + config);

        assertThat(SignedJWT.parse(run.out().strip()).getJWTClaimsSet().getSubject()).isEqualTo("dave");
    }

    @Test
    void repeatableOptionsTakeCommaSeparatedValues() throws Exception {
        Path config = write("server=ws://127.0.0.1:1\ntoken=" + TestTokens.valid("alice")
                + "\nexpose=llm=127.0.0.1:11434,db=127.0.0.1:5432\nfingerprint=SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
        CliRun client = CliRun.prepare("client", "--config", config.toString());

        client.commandLine.parseArgs("client", "--config", config.toString());

        ClientCommand command = client.commandLine.getSubcommands().get("client").getCommand();
        assertThat(command.services).extracting(Object::toString).containsExactly("llm=127.0.0.1:11434", "db=127.0.0.1:5432");
    }

    @Test
    void anUnknownKeyIsAUsageErrorThatNamesIt() throws Exception {
        Path config = write("secret=" + TestTokens.SECRET + "\nuser=carol\nttll=2h\n");

        CliRun.Result run = CliRun.run("token", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString().contains("ttll", config.toString(), "ttl");
    }

    @Test
    void aMissingFileIsReported() {
        assertThat(TunnelCli.run("token", "--config", dir.resolve("absent.properties").toString())).isEqualTo(2);
    }

    private Path write(String properties) throws Exception {
        return Files.writeString(dir.resolve("tunnel.properties"), properties);
    }
}
