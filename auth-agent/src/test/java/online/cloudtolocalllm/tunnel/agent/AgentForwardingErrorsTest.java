package online.cloudtolocalllm.tunnel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.nio.channels.ByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.ForwardedAgent;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.core.KeyFiles;
import online.cloudtolocalllm.tunnel.spi.AgentGatewayProvider;
import online.cloudtolocalllm.tunnel.spi.LocalAgentProvider;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.apache.sshd.common.SshException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way forwarding can fail has a stable code and message, reported as an event, and the tunnel stays up: no
 * agent configured (TUNNEL_013), socket missing (TUNNEL_014), permission denied (TUNNEL_015), agent refused
 * (TUNNEL_016), the server's policy forbids forwarding (TUNNEL_017).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AgentForwardingErrorsTest {
    @TempDir
    Path dir;
    private Path sockets;
    private SshAgentProcess agent;
    private TcpTestService echo;
    private TestServer tunnel;
    private final EventLog clientEvents = new EventLog();
    private final EventLog serverEvents = new EventLog();
    private final RecordingAudit clientAudit = new RecordingAudit();

    @BeforeEach
    void start() throws Exception {
        sockets = Tools.socketDir();
        agent = SshAgentProcess.start(sockets.resolve("agent.sock"));
        agent.addAndForget(Tools.keygen(dir.resolve("id_ed25519"), "ed25519", "alice"));
        echo = TcpTestService.echo();
    }

    @AfterEach
    void stop() {
        try {
            if (tunnel != null) {
                tunnel.close();
            }
        } finally {
            echo.close();
            agent.close();
            Tools.deleteTree(sockets);
        }
    }

    private void startServer(boolean allowForwarding) throws Exception {
        tunnel = TestServer.start(dir.resolve("data"), b -> b.allowAgentForwarding(allowForwarding).listener(serverEvents)
                .component(AgentGatewayProvider.class, AgentForwardingServer.builder().audit(AgentAudit.noop()).build()));
    }

    private TunnelClient connect(TunnelClientConfig.Builder config, AgentForwardingClient.Builder agentSettings) throws Exception {
        return tunnel.connect(config.forwardAgent(true).listener(clientEvents).expose(new ExposedService("echo", "127.0.0.1", echo.port()))
                .component(LocalAgentProvider.class, agentSettings.audit(clientAudit).build()).build());
    }

    /** The tunnel works although forwarding did not: the client is connected and its service answers. */
    private void assertTunnelUp(TunnelClient client) throws Exception {
        assertThat(client.state()).isEqualTo(TunnelState.CONNECTED);
        try (var stream = tunnel.server().openStream("alice", "echo").get(10, TimeUnit.SECONDS)) {
            stream.write(java.nio.ByteBuffer.wrap(new byte[] {'o', 'k'})).get(10, TimeUnit.SECONDS);
            stream.shutdownOutput();
            assertThat(stream.inputStream().readAllBytes()).containsExactly('o', 'k');
        }
    }

    @Test
    void aClientThatDoesNotAskForwardsNothing() throws Exception {
        startServer(true);

        TunnelClient client = tunnel.connect(tunnel.clientConfig("alice").listener(clientEvents)
                .expose(new ExposedService("echo", "127.0.0.1", echo.port())).build());

        assertTunnelUp(client);
        assertThat(tunnel.server().forwardedAgent("alice")).isEmpty();
        assertThat(clientEvents.all()).noneMatch(e -> e.type().name().startsWith("AGENT_"));
        assertThat(serverEvents.all()).noneMatch(e -> e.type().name().startsWith("AGENT_"));
    }

    @Test
    void noAgentAnywhereIsTunnel013AndTheTunnelStaysUp() throws Exception {
        startServer(true);
        AgentDiscovery.Environment nothing = new AgentDiscovery.Environment(Map.of("GNUPGHOME", dir.resolve("no-gnupg").toString()),
                false, "alice", dir, null, environment -> Optional.empty(), List::of, location -> Files.exists(Path.of(location)));

        TunnelClient client = connect(tunnel.clientConfig("alice"), AgentForwardingClient.builder().environment(nothing));

        TunnelEvent failed = clientEvents.await(AgentFailureEvents.of(ErrorCode.AGENT_NOT_CONFIGURED), Duration.ofSeconds(10), "no agent configured");
        assertThat(failed.cause()).hasMessageStartingWith("TUNNEL_013: No SSH agent to forward: looked at SSH_AUTH_SOCK (not set), gpg-agent at "
                + dir.resolve("no-gnupg").toAbsolutePath().resolve("S.gpg-agent.ssh"));
        assertTunnelUp(client);
        assertThat(tunnel.server().forwardedAgent("alice")).as("nothing was forwarded").isEmpty();
    }

    @Test
    void aMissingSocketIsTunnel014AndTheTunnelStaysUp() throws Exception {
        startServer(true);
        Path missing = sockets.resolve("missing.sock");

        TunnelClient client = connect(tunnel.clientConfig("alice").agent(missing.toString()), AgentForwardingClient.builder());

        TunnelEvent failed = clientEvents.await(AgentFailureEvents.of(ErrorCode.AGENT_SOCKET_MISSING), Duration.ofSeconds(10), "socket missing");
        assertThat(failed.cause()).hasMessage("TUNNEL_014: The SSH agent socket " + missing + " does not exist (is the agent running?)");
        assertTunnelUp(client);
    }

    @Test
    void aServerThatDoesNotAllowForwardingIsTunnel017OnBothSidesAndTheTunnelStaysUp() throws Exception {
        startServer(false);

        TunnelClient client = connect(tunnel.clientConfig("alice").agent(agent.socket().toString()), AgentForwardingClient.builder());

        TunnelEvent refused = clientEvents.await(AgentFailureEvents.of(ErrorCode.AGENT_FORWARDING_FORBIDDEN), Duration.ofSeconds(10), "server forbids");
        assertThat(refused.cause()).hasMessage("TUNNEL_017: The server's policy does not allow agent forwarding");
        serverEvents.await(AgentFailureEvents.of(ErrorCode.AGENT_FORWARDING_FORBIDDEN), Duration.ofSeconds(10), "the server logged its refusal");
        assertTunnelUp(client);
        assertThat(tunnel.server().forwardedAgent("alice")).isEmpty();
    }

    @Test
    void aSignatureTheAgentCannotMakeIsTunnel016() throws Exception {
        startServer(true);
        connect(tunnel.clientConfig("alice").agent(agent.socket().toString()), AgentForwardingClient.builder());
        ForwardedAgent forwarded = tunnel.server().forwardedAgent("alice").orElseThrow();
        KeyPair notInTheAgent = KeyFiles.generateEd25519();

        try (ForwardedSshAgent sshAgent = ForwardedSshAgent.of(forwarded)) {
            assertThatThrownBy(() -> sshAgent.sign(null, notInTheAgent.getPublic(), "ssh-ed25519", new byte[] {1, 2, 3}))
                    .isInstanceOf(SshException.class)
                    .hasMessage("TUNNEL_016: The forwarded agent of 'alice' refused to sign with "
                            + KeyFiles.fingerprint(notInTheAgent.getPublic()))
                    .cause().isInstanceOf(TunnelException.class);
        }
        clientAudit.await(r -> r.operation() == AgentOperation.SIGN && r.result() == AgentAuditRecord.Result.FAILED
                && KeyFiles.fingerprint(notInTheAgent.getPublic()).equals(r.keyFingerprint()), "the failed signature is audited");
    }

    @Test
    void anAgentThatStopsAfterForwardingStartedIsTunnel014OnBothSidesAndTheTunnelStaysUp() throws Exception {
        startServer(true);
        TunnelClient client = connect(tunnel.clientConfig("alice").agent(agent.socket().toString()), AgentForwardingClient.builder());
        ForwardedAgent forwarded = tunnel.server().forwardedAgent("alice").orElseThrow();

        agent.close();

        assertThatThrownBy(() -> forwarded.connect().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TunnelException.class)
                .satisfies(e -> assertThat(((TunnelException) e).code()).isEqualTo(ErrorCode.AGENT_SOCKET_MISSING));
        clientEvents.await(AgentFailureEvents.of(ErrorCode.AGENT_SOCKET_MISSING), Duration.ofSeconds(10), "the client says why");
        assertTunnelUp(client);
    }

    @Test
    void anAgentThisUserMayNotOpenIsTunnel015OnBothSides() throws Exception {
        startServer(true);
        AgentConnector real = AgentConnector.unixSocket(agent.socket());
        AtomicInteger opens = new AtomicInteger();
        AgentConnector deniedAfterTheFirst = new AgentConnector() {
            @Override
            public String location() {
                return real.location();
            }

            @Override
            public ByteChannel open() {
                if (opens.getAndIncrement() == 0) {
                    return real.open();
                }
                throw AgentFailures.classify(location(), new AccessDeniedException(location()));
            }
        };
        TunnelClient client = connect(tunnel.clientConfig("alice"), AgentForwardingClient.builder().connector(deniedAfterTheFirst));
        ForwardedAgent forwarded = tunnel.server().forwardedAgent("alice").orElseThrow();

        assertThatThrownBy(() -> forwarded.connect().get(10, TimeUnit.SECONDS)).cause().isInstanceOf(TunnelException.class)
                .satisfies(e -> assertThat(((TunnelException) e).code()).isEqualTo(ErrorCode.AGENT_PERMISSION_DENIED));
        TunnelEvent denied = clientEvents.await(AgentFailureEvents.of(ErrorCode.AGENT_PERMISSION_DENIED), Duration.ofSeconds(10), "the client says why");
        assertThat(denied.cause()).hasMessage("TUNNEL_015: Permission denied on the SSH agent at " + agent.socket()
                + " (it belongs to another user?)");
        assertTunnelUp(client);
    }
}
