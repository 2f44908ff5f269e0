package online.cloudtolocalllm.tunnel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import online.cloudtolocalllm.tunnel.api.AgentConnection;
import online.cloudtolocalllm.tunnel.api.ForwardedAgent;
import online.cloudtolocalllm.tunnel.spi.AgentGatewayProvider;
import online.cloudtolocalllm.tunnel.spi.LocalAgentProvider;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.MutableClock;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarded-agent conversations close after five idle minutes by the injected clocks of both sides (the server's
 * API conversations, its socket's, and the client's), and the client's confirmation hook decides each signature.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IdleTimeoutAndConfirmationTest {
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @TempDir
    Path dir;
    private Path sockets;
    private SshAgentProcess agent;
    private SshdProcess sshd;
    private TestServer tunnel;
    private final MutableClock serverClock = new MutableClock();
    private final MutableClock clientClock = new MutableClock();
    private final RecordingAudit clientAudit = new RecordingAudit();
    private final AtomicBoolean userSaysYes = new AtomicBoolean();
    private final List<SignatureConfirmation.Request> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sockets = Tools.socketDir();
        agent = SshAgentProcess.start(sockets.resolve("agent.sock"));
        agent.addAndForget(Tools.keygen(dir.resolve("id_ed25519"), "ed25519", "alice-laptop"));
        tunnel = TestServer.start(dir.resolve("data"), b -> b.allowAgentForwarding(true)
                .component(AgentGatewayProvider.class, AgentForwardingServer.builder().audit(AgentAudit.noop())
                        .clock(serverClock).socketDirectory(sockets.resolve("users")).build()));
        tunnel.connect(tunnel.clientConfig("alice").forwardAgent(true).agent(agent.socket().toString())
                .component(LocalAgentProvider.class, AgentForwardingClient.builder().clock(clientClock).audit(clientAudit)
                        .confirmSignatures(request -> {
                            asked.add(request);
                            return userSaysYes.get();
                        }).build())
                .build());
    }

    @AfterEach
    void stop() {
        try {
            if (tunnel != null) {
                tunnel.close();
            }
            if (sshd != null) {
                sshd.close();
            }
        } finally {
            agent.close();
            Tools.deleteTree(sockets);
        }
    }

    private AgentConnection listedConversation() throws Exception {
        ForwardedAgent forwarded = tunnel.server().forwardedAgent("alice").orElseThrow();
        AgentConnection connection = forwarded.connect().get(10, TimeUnit.SECONDS);
        byte[] answer = connection.request(AgentMessages.requestIdentities()).get(10, TimeUnit.SECONDS);
        assertThat(AgentMessages.identities(answer)).hasSize(1);
        return connection;
    }

    @Test
    void theServerClosesAConversationIdleForFiveMinutesByItsClock() throws Exception {
        AgentConnection connection = listedConversation();

        serverClock.advance(FIVE_MINUTES.minusSeconds(1));
        byte[] stillOpen = connection.request(AgentMessages.requestIdentities()).get(10, TimeUnit.SECONDS);
        assertThat(AgentMessages.identities(stillOpen)).as("a request just before the timeout keeps it open").hasSize(1);
        serverClock.advance(FIVE_MINUTES);

        connection.closeFuture().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> connection.request(AgentMessages.requestIdentities()).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("closed");
    }

    @Test
    void theClientClosesAConversationIdleForFiveMinutesByItsClock() throws Exception {
        AgentConnection connection = listedConversation();

        clientClock.advance(FIVE_MINUTES);

        connection.closeFuture().get(10, TimeUnit.SECONDS); // the client closed its side, so the server's channel ended
    }

    @Test
    void aSocketConversationIdleForFiveMinutesIsClosed() throws Exception {
        Path socket = sockets.resolve("users/alice.sock");
        Await.until(Duration.ofSeconds(10), "alice.sock exists", () -> Files.exists(socket));
        try (SocketChannel tool = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            tool.connect(UnixDomainSocketAddress.of(socket));
            AgentFraming.write(tool, AgentMessages.requestIdentities());
            assertThat(AgentMessages.identities(AgentFraming.read(tool))).hasSize(1);

            serverClock.advance(FIVE_MINUTES);

            CompletableFuture<byte[]> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return AgentFraming.read(tool);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, Thread::startVirtualThread);
            assertThatThrownBy(() -> next.get(10, TimeUnit.SECONDS)).as("the server hangs up the idle socket")
                    .hasCauseInstanceOf(EOFException.class);
        }
    }

    @Test
    void theConfirmationHookDecidesEachSignature() throws Exception {
        Files.createDirectories(dir.resolve("sshd"));
        sshd = SshdProcess.start(dir.resolve("sshd"));
        sshd.authorize(dir.resolve("id_ed25519.pub"));
        String fingerprint = Tools.fingerprint(dir.resolve("id_ed25519.pub"));
        ForwardedAgent forwarded = tunnel.server().forwardedAgent("alice").orElseThrow();

        assertThatThrownBy(() -> RemoteLogin.run(forwarded, sshd.port(), "echo declined")).as("the user said no");
        clientAudit.await(RecordingAudit.of(AgentOperation.SIGN, AgentAuditRecord.Result.DECLINED), "the refusal is audited");
        assertThat(asked).first().satisfies(request -> {
            assertThat(request.user()).isEqualTo("alice");
            assertThat(request.server()).isEqualTo("server " + tunnel.tunnelUri());
            assertThat(request.keyType()).isEqualTo("ssh-ed25519");
            assertThat(request.keyFingerprint()).isEqualTo(fingerprint);
            assertThat(request.keyComment()).isEqualTo("alice-laptop");
        });

        userSaysYes.set(true);
        assertThat(RemoteLogin.run(forwarded, sshd.port(), "echo confirmed").strip()).isEqualTo("confirmed");
        clientAudit.await(RecordingAudit.of(AgentOperation.SIGN, AgentAuditRecord.Result.OK), "the signature is audited");
    }
}
