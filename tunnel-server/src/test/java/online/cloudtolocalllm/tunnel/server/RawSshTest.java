package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelState;
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
 * The one port also takes SSH straight on TCP: a plain SSH client (JSch) logs in with its token and registers a
 * service; bytes that start like SSH but are not close only their own connection.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RawSshTest {
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

    private HttpResponse<String> get(String user, String service, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(tunnel.ingress(user, service, path)).timeout(WAIT)
                .header("Authorization", "Bearer " + TestTokens.valid(user)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void plainSshClientLogsInWithItsTokenAndItsRemoteForwardIsReachableThroughIngress() throws Exception {
        JSch jsch = new JSch();
        session = JschClients.passwordSession(jsch, "carol", "127.0.0.1", tunnel.port(), TestTokens.valid("carol"));
        int mark = serverEvents.mark();

        session.connect((int) WAIT.toMillis());
        assertThat(session.getHostKey().getFingerPrint(jsch)).isEqualTo(tunnel.server().hostKeyFingerprint());
        JschClients.remoteForward(session, "llm", 80, "127.0.0.1", local.port()); // ssh -R llm:80:127.0.0.1:<port>

        serverEvents.await(mark, EventLog.service(TunnelEvent.Type.SERVICE_REGISTERED, "carol", "llm"), WAIT, "carol registers llm");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tunnel.ingress("carol", "llm", "/echo")).timeout(WAIT)
                .header("Authorization", "Bearer " + TestTokens.valid("carol"))
                .POST(HttpRequest.BodyPublishers.ofString("over raw ssh")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("over raw ssh");
    }

    @Test
    void garbageThatStartsLikeSshClosesOnlyItsOwnConnection() throws Exception {
        TunnelClient alice = tunnel.connect("alice", new ExposedService("llm", "127.0.0.1", local.port()));
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);

        assertClosedByServer("SSH-banana\r\n".getBytes(StandardCharsets.US_ASCII), noise);
        assertClosedByServer("SSH-2.0-NotReally\r\n".getBytes(StandardCharsets.US_ASCII), noise);

        assertThat(alice.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(tunnel.server().sessions()).singleElement().satisfies(s -> assertThat(s.user()).isEqualTo("alice"));
        assertThat(get("alice", "llm", "/status/200").statusCode()).as("the other tunnels keep working").isEqualTo(200);
        assertThat(serverEvents.all()).noneMatch(EventLog.user(TunnelEvent.Type.DISCONNECTED, "alice"));
    }

    /** Sends {@code banner} then {@code noise}; the server must close the connection within a few seconds. */
    private void assertClosedByServer(byte[] banner, byte[] noise) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tunnel.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(banner);
            try {
                out.write(noise);
                out.flush();
            } catch (IOException closedAlready) {
                return;
            }
            try {
                while (socket.getInputStream().read(new byte[1024]) >= 0) {
                    // the server's identification line, if it sent one before giving up
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("The server kept a connection that sent " + new String(banner, StandardCharsets.US_ASCII).strip()
                        + " and garbage open for 5 s", e);
            } catch (IOException reset) {
                // closed with a reset: closed all the same
            }
        }
    }
}
