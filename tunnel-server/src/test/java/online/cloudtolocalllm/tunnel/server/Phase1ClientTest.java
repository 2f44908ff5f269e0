package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client speaking exactly the Phase 1 protocol, with JSch instead of our client: raw SSH in binary WebSocket frames
 * at {@code /ssh?token=&userId=}, password login with the JWT, {@code tcpip-forward} for port 11434; its service is
 * reachable through ingress as service {@code 11434}, and an expired token is refused at the upgrade.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Phase1ClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EventLog serverEvents = new EventLog();
    private TestHttpService local;
    private TestServer tunnel;
    private @Nullable Session session;

    @BeforeEach
    void start() throws Exception {
        local = TestHttpService.start();
        tunnel = TestServer.start(dataDir, b -> b.listener(serverEvents));
    }

    @AfterEach
    void stop() {
        if (session != null) {
            session.disconnect();
        }
        tunnel.close();
        local.close();
    }

    private static Session phase1Session(JSch jsch, String userId, String token, Phase1WebSocketProxy proxy) throws JSchException {
        Session ssh = JschClients.passwordSession(jsch, userId, "127.0.0.1", 22, token);
        ssh.setProxy(proxy);
        return ssh;
    }

    @Test
    void phase1ClientRegistersPort11434AndItsServiceAnswersThroughIngress() throws Exception {
        String token = TestTokens.valid("alice");
        JSch jsch = new JSch();
        Phase1WebSocketProxy proxy = new Phase1WebSocketProxy(Phase1WebSocketProxy.phase1Uri(tunnel.port(), token, "alice"));
        session = phase1Session(jsch, "alice", token, proxy);
        int mark = serverEvents.mark();

        session.connect((int) WAIT.toMillis());
        assertThat(session.getHostKey().getFingerPrint(jsch)).as("the host key JSch saw is the server's")
                .isEqualTo(tunnel.server().hostKeyFingerprint());
        // JSch sends tcpip-forward with address "localhost" when no bind address is given, like `ssh -R 11434:...`
        JschClients.remoteForward(session, null, 11434, "127.0.0.1", local.port());

        TunnelEvent registered = serverEvents.await(mark, EventLog.service(TunnelEvent.Type.SERVICE_REGISTERED, "alice", "11434"),
                WAIT, "alice registers service 11434");
        assertThat(registered.user()).isEqualTo("alice");
        assertThat(tunnel.server().sessions()).singleElement()
                .satisfies(s -> assertThat(s.services()).containsExactly("11434"));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tunnel.ingress("alice", "11434", "/echo?phase=1"))
                .timeout(WAIT).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("hello from phase 1")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello from phase 1");
        assertThat(response.headers().firstValue("X-Seen-Uri")).hasValue("/echo?phase=1");
        assertThat(local.requests()).isEqualTo(1);

        HttpResponse<String> streamed = http.send(HttpRequest.newBuilder(tunnel.ingress("alice", "11434", "/ndjson?lines=3&delayMs=10"))
                .timeout(WAIT).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.body().lines()).hasSize(3);
    }

    @Test
    void phase1ClientWithAnExpiredTokenIsRefusedAtTheUpgrade() throws Exception {
        String expired = TestTokens.expired("alice");
        Phase1WebSocketProxy proxy = new Phase1WebSocketProxy(Phase1WebSocketProxy.phase1Uri(tunnel.port(), expired, "alice"));
        session = phase1Session(new JSch(), "alice", expired, proxy);

        assertThatThrownBy(() -> session.connect((int) WAIT.toMillis())).isInstanceOf(JSchException.class);

        assertThat(proxy.refusal()).as("the server answered the upgrade instead of switching protocols").isNotNull();
        assertThat(proxy.refusal().status()).isEqualTo(401);
        assertThat(proxy.refusal().body()).contains("\"code\":\"TUNNEL_003\"").contains("\"category\":\"authentication\"");
        assertThat(tunnel.server().sessions()).as("no SSH session was created").isEmpty();
        assertThat(serverEvents.ofType(TunnelEvent.Type.FAILED)).as("the server reports the refused connection").singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("TUNNEL_003"));
    }

    @Test
    void phase1ClientWhoseUserIdIsNotTheTokensSubjectIsRefusedAtTheUpgrade() throws Exception {
        String token = TestTokens.valid("alice");
        Phase1WebSocketProxy proxy = new Phase1WebSocketProxy(Phase1WebSocketProxy.phase1Uri(tunnel.port(), token, "mallory"));
        session = phase1Session(new JSch(), "mallory", token, proxy);

        assertThatThrownBy(() -> session.connect((int) WAIT.toMillis())).isInstanceOf(JSchException.class);

        assertThat(proxy.refusal()).isNotNull();
        assertThat(proxy.refusal().status()).isEqualTo(401);
        assertThat(proxy.refusal().body()).contains("\"code\":\"TUNNEL_002\"");
        assertThat(tunnel.server().sessions()).isEmpty();
    }
}
