package online.cloudtolocalllm.tunnel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Builders check their values at once and say what was wrong. */
class ConfigValidationTest {

    @Test
    void clientConfigDefaultsThePathAndRequiresCredentialsAndTrust() {
        TunnelClientConfig config = TunnelClientConfig.builder().server("ws://h:8080").token("t")
                .hostKeys(HostKeyPolicy.pinned("SHA256:abcdefghijklmnopqrstuvwxyz")).build();
        assertThat(config.server().toString()).isEqualTo("ws://h:8080/tunnel");
        assertThat(config.toString()).doesNotContain("t]").contains("token=***");

        assertThatThrownBy(() -> TunnelClientConfig.builder().server("ws://h").hostKeys(HostKeyPolicy.knownHosts(Path.of("k"))).build())
                .hasMessageContaining("token or an identity file");
        assertThatThrownBy(() -> TunnelClientConfig.builder().server("ws://h").token("t").build())
                .hasMessageContaining("host key policy");
        assertThatThrownBy(() -> TunnelClientConfig.builder().server("no-scheme").token("t")
                .hostKeys(HostKeyPolicy.knownHosts(Path.of("k"))).build()).hasMessageContaining("scheme and a host");
    }

    @Test
    void clientConfigRefusesDuplicateServicesAndInconsistentKeepalive() {
        TunnelClientConfig.Builder builder = TunnelClientConfig.builder().expose("llm", "127.0.0.1", 1);
        assertThatThrownBy(() -> builder.expose("llm", "127.0.0.1", 2)).hasMessageContaining("already exposed");
        assertThatThrownBy(() -> TunnelClientConfig.builder().server("ws://h").token("t")
                .hostKeys(HostKeyPolicy.knownHosts(Path.of("k")))
                .keepAlive(Duration.ofSeconds(10), Duration.ofSeconds(5)).build()).hasMessageContaining("must be longer");
    }

    @Test
    void agentForwardingIsOffByDefaultAndAnAgentPathNeedsIt() {
        TunnelClientConfig.Builder base = TunnelClientConfig.builder().server("ws://h").token("t")
                .hostKeys(HostKeyPolicy.pinned("SHA256:abcdefghijklmnopqrstuvwxyz"));
        assertThat(base.build().forwardAgent()).isFalse();
        assertThat(base.build().agent()).isEmpty();
        assertThatThrownBy(() -> base.agent("/tmp/agent.sock").build()).hasMessageContaining("forwarding is off");
        TunnelClientConfig forwarding = base.forwardAgent(true).build();
        assertThat(forwarding.forwardAgent()).isTrue();
        assertThat(forwarding.agent()).hasValue("/tmp/agent.sock");
        assertThat(forwarding.toBuilder().build().agent()).hasValue("/tmp/agent.sock");
        assertThat(forwarding.toString()).contains("forwardAgent=/tmp/agent.sock");
        assertThat(TunnelServerConfig.builder().dataDir(Path.of("d")).build().agentForwardingAllowed()).isFalse();
        assertThat(TunnelServerConfig.builder().dataDir(Path.of("d")).allowAgentForwarding(true).build().agentForwardingAllowed()).isTrue();
    }

    @Test
    void drainHandoffIsOffByDefaultAndCopiesAreMadeWithoutTheListeners() {
        TunnelClientConfig base = TunnelClientConfig.builder().server("ws://h").token("t")
                .hostKeys(HostKeyPolicy.pinned("SHA256:abcdefghijklmnopqrstuvwxyz")).listener(event -> { }).build();
        assertThat(base.drainHandoff()).isFalse();
        TunnelClientConfig copy = base.toBuilder().drainHandoff(true).clearListeners().build();
        assertThat(copy.drainHandoff()).isTrue();
        assertThat(copy.toBuilder().build().drainHandoff()).isTrue();
        assertThat(copy.listeners()).isEmpty();
        assertThat(base.listeners()).hasSize(1);
    }

    @Test
    void ingressWaitsFiveSecondsForAReconnectingClientByDefault() {
        assertThat(TunnelServerConfig.builder().dataDir(Path.of("d")).build().ingressReconnectWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(TunnelServerConfig.builder().dataDir(Path.of("d")).ingressReconnectWait(Duration.ZERO).build()
                .ingressReconnectWait()).isZero();
        assertThatThrownBy(() -> TunnelServerConfig.builder().ingressReconnectWait(Duration.ofSeconds(-1)))
                .hasMessageContaining("ingressReconnectWait must not be negative");
    }

    @Test
    void serverConfigChecksSecretsPortsAndPatterns() {
        assertThatThrownBy(() -> TunnelServerConfig.builder().jwtSecret("short")).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> TunnelServerConfig.builder().listen("127.0.0.1", 70000)).hasMessageContaining("0-65535");
        assertThatThrownBy(() -> TunnelServerConfig.builder().forwardAllow("nohost")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> TunnelServerConfig.builder().maxFrameSize(10)).hasMessageContaining("64 KiB");
        assertThatThrownBy(() -> TunnelServerConfig.builder().build()).hasMessageContaining("dataDir");
        TunnelServerConfig config = TunnelServerConfig.builder().dataDir(Path.of("d"))
                .jwtSecret("0123456789abcdef0123456789abcdef").publicService("alice", "llm").build();
        assertThat(config.isPublic("alice", "llm")).isTrue();
        assertThat(config.isPublic("bob", "llm")).isFalse();
    }

    @Test
    void exposedServicesParseAndValidate() {
        assertThat(ExposedService.parse("llm=127.0.0.1:11434")).isEqualTo(new ExposedService("llm", "127.0.0.1", 11434));
        assertThat(ExposedService.parse("v6=[::1]:80")).isEqualTo(new ExposedService("v6", "::1", 80));
        assertThatThrownBy(() -> ExposedService.parse("llm")).hasMessageContaining("name=host:port");
        assertThatThrownBy(() -> new ExposedService("bad name", "h", 1)).hasMessageContaining("Invalid service name");
        assertThatThrownBy(() -> new ExposedService("ok", "h", 0)).hasMessageContaining("1-65535");
    }

    @Test
    void reconnectDelaysDoubleUpToTheCap() {
        ReconnectPolicy policy = ReconnectPolicy.DEFAULT;
        assertThat(policy.baseDelay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.baseDelay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.baseDelay(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(policy.baseDelay(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.baseDelay(60)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void pinsMustLookLikeFingerprints() {
        assertThatThrownBy(() -> HostKeyPolicy.pinned("MD5:aa")).hasMessageContaining("SHA256:");
    }

    @Test
    void hostKeyRotationIsOffByDefaultNeedsAnOverlapShorterThanItsIntervalAndRefusesAKeyInAToken() {
        TunnelServerConfig.Builder server = TunnelServerConfig.builder().dataDir(Path.of("data"));
        assertThat(server.build().hostKeyRotation()).isEmpty();
        assertThat(server.hostKeyRotation(Duration.ofDays(30), Duration.ofDays(2)).build().hostKeyRotation())
                .contains(new HostKeyRotation(Duration.ofDays(30), Duration.ofDays(2)));
        assertThatThrownBy(() -> server.hostKeyRotation(Duration.ofDays(1), Duration.ofDays(1)))
                .hasMessageContaining("overlap PT24H must be shorter than its interval PT24H");

        server.crypto(CryptoOptions.builder().key(java.net.URI.create("pkcs11:object=host;pin-value=1234")).build());
        assertThatThrownBy(server::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot rotate a key held in a token");
    }
}
