package online.cloudtolocalllm.tunnel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.ForwardedAgent;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.AgentGatewayProvider;
import online.cloudtolocalllm.tunnel.spi.LocalAgentProvider;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.apache.sshd.common.SshException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real OpenSSH ssh-agent holding ed25519, ECDSA and RSA keys (added with ssh-add, then the key files deleted) is
 * forwarded by a tunnel client; on the server, code logs in to a real OpenSSH sshd with it, a real ssh client uses
 * it through {@code DIR/alice.sock}, and adding or removing keys from the server's side is refused and audited.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenSshAgentForwardingTest {
    private static final List<String> TYPES = List.of("ed25519", "ecdsa", "rsa");

    @TempDir
    Path dir;
    private Path sockets;
    private final Map<String, Path> publicKeys = new LinkedHashMap<>();
    private final RecordingAudit serverAudit = new RecordingAudit();
    private final RecordingAudit clientAudit = new RecordingAudit();
    private final EventLog serverEvents = new EventLog();
    private final EventLog clientEvents = new EventLog();
    private SshAgentProcess agent;
    private SshdProcess sshd;
    private TestServer tunnel;
    private TunnelClient client;

    @BeforeEach
    void start() throws Exception {
        sockets = Tools.socketDir();
        agent = SshAgentProcess.start(sockets.resolve("agent.sock"));
        for (String type : TYPES) {
            Path key = Tools.keygen(dir.resolve("id_" + type), type, "alice-" + type);
            publicKeys.put(type, dir.resolve("id_" + type + ".pub"));
            agent.addAndForget(key);
        }
        Files.createDirectories(dir.resolve("sshd"));
        sshd = SshdProcess.start(dir.resolve("sshd"));
        tunnel = TestServer.start(dir.resolve("data"), b -> b.allowAgentForwarding(true).listener(serverEvents)
                .component(AgentGatewayProvider.class, AgentForwardingServer.builder().audit(serverAudit)
                        .socketDirectory(sockets.resolve("users")).build()));
        client = tunnel.connect(tunnel.clientConfig("alice").forwardAgent(true).agent(agent.socket().toString())
                .listener(clientEvents)
                .component(LocalAgentProvider.class, AgentForwardingClient.builder().audit(clientAudit).build())
                .build());
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
                if (agent != null) {
                    agent.close();
                }
                Tools.deleteTree(sockets);
            }
        }
    }

    @Test
    void serverCodeLogsIntoOpenSshWithEachKeyTypeWhileThePrivateKeysStayInTheAgent() throws Exception {
        clientEvents.await(EventLog.type(TunnelEvent.Type.AGENT_FORWARDED), Duration.ofSeconds(10), "the server accepted forwarding");
        serverEvents.await(EventLog.type(TunnelEvent.Type.AGENT_FORWARDED), Duration.ofSeconds(10), "the server saw alice's agent");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .as("the private key files were deleted after ssh-add: only the agent holds the keys")
                .noneMatch(name -> name.startsWith("id_") && !name.endsWith(".pub"));
        ForwardedAgent forwarded = tunnel.server().forwardedAgent("alice").orElseThrow();

        for (String type : TYPES) {
            sshd.authorize(publicKeys.get(type));
            String fingerprint = Tools.fingerprint(publicKeys.get(type));

            String out = RemoteLogin.run(forwarded, sshd.port(), "echo logged-in-with-" + type);

            assertThat(out.strip()).isEqualTo("logged-in-with-" + type);
            sshd.log().await(line -> line.contains("Accepted publickey for " + RemoteLogin.USER) && line.contains(fingerprint),
                    Tools.TIMEOUT, "sshd accepted the " + type + " key");
            serverAudit.await(r -> r.operation() == AgentOperation.SIGN && r.result() == AgentAuditRecord.Result.OK
                    && fingerprint.equals(r.keyFingerprint()), "the server audited the " + type + " signature");
            AgentAuditRecord signed = clientAudit.await(r -> r.operation() == AgentOperation.SIGN
                    && r.result() == AgentAuditRecord.Result.OK && fingerprint.equals(r.keyFingerprint()),
                    "the client audited the " + type + " signature");
            assertThat(signed.user()).isEqualTo("alice");
            assertThat(signed.peer()).isEqualTo("server " + tunnel.tunnelUri());
        }
        assertThat(serverAudit.all()).allSatisfy(r -> {
            assertThat(r.user()).isEqualTo("alice");
            assertThat(r.peer()).isEqualTo(GuardedAgent.SERVER_CODE);
        });
        assertThat(client.metrics().openStreams()).as("agent channels are not counted as streams").isZero();
    }

    @Test
    void aRealSshUsesTheUsersAgentSocketWhichIsOwnerOnlyAndGoesAwayWithTheTunnel() throws Exception {
        Path socket = sockets.resolve("users/alice.sock");
        Await.until(Duration.ofSeconds(10), "alice.sock exists", () -> Files.exists(socket));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-------");
        assertThat(Files.getOwner(socket).getName()).isEqualTo(RemoteLogin.USER);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
        assertThat(Files.list(socket.getParent()).map(p -> p.getFileName().toString())).containsExactly("alice.sock");
        sshd.authorize(publicKeys.get("ed25519"));

        Tools.Result ssh = Tools.run(List.of("ssh", "-F", "/dev/null", "-o", "IdentityAgent=" + socket,
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-p", Integer.toString(sshd.port()), RemoteLogin.USER + "@127.0.0.1", "echo", "through-alice.sock"), Map.of());
        assertThat(ssh.exitCode()).as(ssh.err()).isZero();
        assertThat(ssh.out().strip()).isEqualTo("through-alice.sock");

        Tools.Result listed = Tools.run(List.of("ssh-add", "-l"), Map.of("SSH_AUTH_SOCK", socket.toString()));
        for (String type : TYPES) {
            assertThat(listed.out()).contains(Tools.fingerprint(publicKeys.get(type)));
        }
        AgentAuditRecord list = serverAudit.await(RecordingAudit.of(AgentOperation.LIST_IDENTITIES, AgentAuditRecord.Result.OK),
                "the socket's listing is audited");
        assertThat(list.peer()).isEqualTo("local user " + RemoteLogin.USER + " via alice.sock");
        assertThat(list.detail()).startsWith("3 keys");

        client.shutdown();
        assertThat(client.awaitTermination(Duration.ofSeconds(10))).isTrue();
        serverEvents.await(EventLog.type(TunnelEvent.Type.AGENT_FORWARDING_ENDED), Duration.ofSeconds(10), "the forwarding ended with the tunnel");
        Await.until(Duration.ofSeconds(10), "alice.sock removed", () -> !Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        assertThat(tunnel.server().forwardedAgent("alice")).isEmpty();
    }

    @Test
    void addingRemovingAndLockingFromTheFarSideAreRefusedAndAudited() throws Exception {
        Path socket = sockets.resolve("users/alice.sock");
        Await.until(Duration.ofSeconds(10), "alice.sock exists", () -> Files.exists(socket));
        Map<String, String> throughSocket = Map.of("SSH_AUTH_SOCK", socket.toString());
        Path intruder = Tools.keygen(dir.resolve("intruder"), "ed25519", "intruder");

        assertThat(Tools.run(List.of("ssh-add", intruder.toString()), throughSocket).exitCode()).isNotZero();
        assertThat(Tools.run(List.of("ssh-add", "-D"), throughSocket).exitCode()).isNotZero();
        assertThat(Tools.run(List.of("ssh-add", "-d", publicKeys.get("rsa").toString()), throughSocket).exitCode()).isNotZero();

        serverAudit.await(RecordingAudit.of(AgentOperation.ADD_IDENTITY, AgentAuditRecord.Result.REFUSED), "add refused");
        serverAudit.await(RecordingAudit.of(AgentOperation.REMOVE_ALL_IDENTITIES, AgentAuditRecord.Result.REFUSED), "remove-all refused");
        AgentAuditRecord remove = serverAudit.await(RecordingAudit.of(AgentOperation.REMOVE_IDENTITY, AgentAuditRecord.Result.REFUSED),
                "remove refused");
        assertThat(remove.keyFingerprint()).isEqualTo(Tools.fingerprint(publicKeys.get("rsa")));

        ForwardedAgent forwarded = tunnel.server().forwardedAgent("alice").orElseThrow();
        try (AgentConnection connection = forwarded.connect().get(10, TimeUnit.SECONDS)) {
            byte[] lock = {AgentMessages.LOCK, 0, 0, 0, 2, 'p', 'w'};
            assertThat(connection.request(lock).get(10, TimeUnit.SECONDS)).containsExactly(AgentMessages.FAILURE);
        }
        serverAudit.await(RecordingAudit.of(AgentOperation.LOCK, AgentAuditRecord.Result.REFUSED), "lock refused");
        ForwardedSshAgent sshAgent = ForwardedSshAgent.of(forwarded);
        assertThatThrownBy(sshAgent::removeAllIdentities).isInstanceOf(SshException.class)
                .hasCauseInstanceOf(TunnelException.class)
                .satisfies(e -> assertThat(((TunnelException) e.getCause()).code()).isEqualTo(ErrorCode.AGENT_REFUSED));
        sshAgent.close();

        assertThat(clientAudit.all()).as("refused requests never reached the client")
                .noneMatch(r -> r.operation() != AgentOperation.LIST_IDENTITIES && r.operation() != AgentOperation.SIGN);
        String stillThere = agent.list();
        for (String type : TYPES) {
            assertThat(stillThere).contains(Tools.fingerprint(publicKeys.get(type)));
        }
        assertThat(stillThere).doesNotContain(Tools.fingerprint(dir.resolve("intruder.pub")));
    }
}
