package online.cloudtolocalllm.tunnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import online.cloudtolocalllm.tunnel.spi.AgentGatewayProvider;
import online.cloudtolocalllm.tunnel.spi.LocalAgentProvider;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client does not trust the server: with its default policy it refuses to add or remove keys even when the
 * server's policy lets those requests through, and audits the refusal on its side.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClientPolicyTest {
    @TempDir
    Path dir;
    private Path sockets;
    private SshAgentProcess agent;
    private TestServer tunnel;
    private final RecordingAudit serverAudit = new RecordingAudit();
    private final RecordingAudit clientAudit = new RecordingAudit();

    @BeforeEach
    void start() throws Exception {
        sockets = Tools.socketDir();
        agent = SshAgentProcess.start(sockets.resolve("agent.sock"));
        agent.addAndForget(Tools.keygen(dir.resolve("id_ed25519"), "ed25519", "alice"));
        AgentPolicy everything = AgentPolicy.parse("list,sign,add,remove,remove-all,lock,unlock,extension");
        tunnel = TestServer.start(dir.resolve("data"), b -> b.allowAgentForwarding(true)
                .component(AgentGatewayProvider.class, AgentForwardingServer.builder().policy(everything).audit(serverAudit)
                        .socketDirectory(sockets.resolve("users")).build()));
        tunnel.connect(tunnel.clientConfig("alice").forwardAgent(true).agent(agent.socket().toString())
                .component(LocalAgentProvider.class, AgentForwardingClient.builder().audit(clientAudit).build()).build());
    }

    @AfterEach
    void stop() {
        try {
            tunnel.close();
        } finally {
            agent.close();
            Tools.deleteTree(sockets);
        }
    }

    @Test
    void theClientRefusesWhatItsOwnPolicyRefusesWhateverTheServerAllows() throws Exception {
        Path socket = sockets.resolve("users/alice.sock");
        Await.until(Duration.ofSeconds(10), "alice.sock exists", () -> Files.exists(socket));

        Tools.Result removeAll = Tools.run(List.of("ssh-add", "-D"), Map.of("SSH_AUTH_SOCK", socket.toString()));

        assertThat(removeAll.exitCode()).isNotZero();
        clientAudit.await(RecordingAudit.of(AgentOperation.REMOVE_ALL_IDENTITIES, AgentAuditRecord.Result.REFUSED),
                "the client refused remove-all");
        serverAudit.await(RecordingAudit.of(AgentOperation.REMOVE_ALL_IDENTITIES, AgentAuditRecord.Result.FAILED),
                "the server let it through and saw it fail");
        assertThat(agent.list()).contains(Tools.fingerprint(dir.resolve("id_ed25519.pub")));
    }
}
