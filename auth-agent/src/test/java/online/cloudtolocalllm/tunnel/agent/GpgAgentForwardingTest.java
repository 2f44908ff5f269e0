package online.cloudtolocalllm.tunnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import online.cloudtolocalllm.tunnel.api.ForwardedAgent;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.spi.AgentGatewayProvider;
import online.cloudtolocalllm.tunnel.spi.LocalAgentProvider;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gpg-agent with {@code enable-ssh-support} in its own GNUPGHOME, holding a key given to it with ssh-add: the client
 * finds its SSH socket the way {@code gpgconf --list-dirs agent-ssh-socket} does (no SSH_AUTH_SOCK, no --agent),
 * forwards it, and server code logs in to a real sshd with it.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GpgAgentForwardingTest {
    private Path work;
    private GpgAgentHome gpg;
    private SshdProcess sshd;
    private TestServer tunnel;
    private final RecordingAudit clientAudit = new RecordingAudit();
    private final EventLog clientEvents = new EventLog();

    @BeforeEach
    void start() throws Exception {
        work = Tools.socketDir(); // GnuPG puts its sockets in GNUPGHOME here: keep the path short
        gpg = GpgAgentHome.start(work.resolve("gnupg"));
        Files.createDirectories(work.resolve("sshd"));
        sshd = SshdProcess.start(work.resolve("sshd"));
        tunnel = TestServer.start(work.resolve("data"), b -> b.allowAgentForwarding(true)
                .component(AgentGatewayProvider.class, AgentForwardingServer.builder().audit(AgentAudit.noop()).build()));
    }

    @AfterEach
    void stop() {
        try {
            if (tunnel != null) {
                tunnel.close();
            }
        } finally {
            try {
                if (sshd != null) {
                    sshd.close();
                }
            } finally {
                if (gpg != null) {
                    gpg.close();
                }
                Tools.deleteTree(work);
            }
        }
    }

    @Test
    void gpgAgentFoundByItsGnupgHomeIsForwardedAndLogsIntoOpenSsh() throws Exception {
        Path key = Tools.keygen(work.resolve("id_gpg"), "ed25519", "alice-gpg");
        gpg.addAndForget(key);
        sshd.authorize(work.resolve("id_gpg.pub"));
        String fingerprint = Tools.fingerprint(work.resolve("id_gpg.pub"));
        AgentDiscovery.Environment environment = new AgentDiscovery.Environment(Map.of("GNUPGHOME", gpg.home().toString()),
                false, RemoteLogin.USER, Path.of(System.getProperty("user.home")), GpgAgentSocket.runtimeDir(),
                GpgAgentSocket.GpgConf.system(), List::of, location -> Files.exists(Path.of(location)));
        assertThat(AgentDiscovery.find(null, environment).location()).isEqualTo(gpg.sshSocket().toString());

        tunnel.connect(tunnel.clientConfig("alice").forwardAgent(true).listener(clientEvents)
                .component(LocalAgentProvider.class, AgentForwardingClient.builder().environment(environment)
                        .audit(clientAudit).build())
                .build());
        clientEvents.await(EventLog.type(TunnelEvent.Type.AGENT_FORWARDED), Duration.ofSeconds(10), "gpg-agent forwarded");
        ForwardedAgent forwarded = tunnel.server().forwardedAgent("alice").orElseThrow();

        assertThat(RemoteLogin.run(forwarded, sshd.port(), "echo via-gpg-agent").strip()).isEqualTo("via-gpg-agent");
        sshd.log().await(line -> line.contains("Accepted publickey") && line.contains(fingerprint), Tools.TIMEOUT,
                "sshd accepted the gpg-agent key");
        clientAudit.await(r -> r.operation() == AgentOperation.SIGN && r.result() == AgentAuditRecord.Result.OK
                && fingerprint.equals(r.keyFingerprint()), "the client audited gpg-agent's signature");
        assertThat(Files.exists(key)).as("the key file is gone: gpg-agent holds the key").isFalse();
    }
}
