package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {

    @Test
    void printsOnlyATokenWithTheUserAsSubjectAndTheRequestedLifetime() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        CliRun.Result run = CliRun.run("token", "--secret", TestTokens.SECRET, "--user", "alice", "--ttl", "90m");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+\\R");
        JWTClaimsSet claims = SignedJWT.parse(run.out().strip()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getIssueTime().toInstant()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void defaultLifetimeIsOneHour() throws Exception {
        CliRun.Result run = CliRun.run("token", "--secret", TestTokens.SECRET, "--user", "bob");

        JWTClaimsSet claims = SignedJWT.parse(run.out().strip()).getJWTClaimsSet();
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aServerWithTheSameSecretLetsTheTokenIn(@TempDir Path dataDir) throws Exception {
        String token = CliRun.run("token", "--secret", TestTokens.SECRET, "--user", "alice").out().strip();
        try (TunnelFixture tunnel = new TunnelFixture(dataDir); TunnelClient client = tunnel.client(token)) {
            client.start().get(20, TimeUnit.SECONDS);

            assertThat(client.state()).isEqualTo(TunnelState.CONNECTED);
            assertThat(tunnel.server.sessions()).extracting(session -> session.user()).containsExactly("alice");
        }
    }

    @Test
    void aServerWithAnotherSecretRefusesTheToken(@TempDir Path dataDir) {
        String token = CliRun.run("token", "--secret", "another-secret-of-at-least-32-bytes-here", "--user", "alice")
                .out().strip();
        try (TunnelFixture tunnel = new TunnelFixture(dataDir); TunnelClient client = tunnel.client(token)) {
            assertThatThrownBy(() -> client.start().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TunnelException.class).hasMessageContaining("TUNNEL_002");
            assertThat(client.state()).isEqualTo(TunnelState.FAILED);
        }
    }

    @Test
    void refusesASecretTooShortForHs256() {
        CliRun.Result run = CliRun.run("token", "--secret", "short", "--user", "alice");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().asString().contains("at least 32 bytes");
    }

    @Test
    void refusesANonPositiveLifetime() {
        CliRun.Result run = CliRun.run("token", "--secret", TestTokens.SECRET, "--user", "alice", "--ttl", "0s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--ttl must be positive");
    }
}
