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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelState;
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
 * The one port also takes SSH straight on TCP: a plain SSH client (JSch) logs in with its token and registers a
 * service; the server keeps a quiet raw session alive and notices a dead one within the keepalive timeout; bytes
 * that start like SSH but are not close only their own connection.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RawSshTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration KEEPALIVE_INTERVAL = Duration.ofMillis(500);
    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(3);
    /** What detection may take beyond the timeout on a busy 2-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(2);

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
        // no wait for a reconnecting client: a route gone with its session is answered 404 at once
        tunnel = TestServer.start(dataDir, b -> b.keepAlive(KEEPALIVE_INTERVAL, KEEPALIVE_TIMEOUT).ingressReconnectWait(Duration.ZERO)
                .listener(serverEvents));
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
        session = carolWithLlm(jsch, tunnel.port());

        assertThat(session.getHostKey().getFingerPrint(jsch)).isEqualTo(tunnel.server().hostKeyFingerprint());
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

        assertClosedByServer("SSH-banana\r\n".getBytes(StandardCharsets.US_ASCII), noise); // not an SSH version at all

        assertThat(alice.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(tunnel.server().sessions()).singleElement().satisfies(s -> assertThat(s.user()).isEqualTo("alice"));
        assertThat(get("alice", "llm", "/status/200").statusCode()).as("the other tunnels keep working").isEqualTo(200);
        assertThat(serverEvents.all()).noneMatch(EventLog.user(TunnelEvent.Type.DISCONNECTED, "alice"));
    }

    /** A raw SSH session of carol through {@code port} with {@code ssh -R llm:80:127.0.0.1:<local>}, registered. */
    private Session carolWithLlm(JSch jsch, int port) throws Exception {
        int mark = serverEvents.mark();
        Session ssh = JschClients.passwordSession(jsch, "carol", "127.0.0.1", port, TestTokens.valid("carol"));
        ssh.connect((int) WAIT.toMillis());
        JschClients.remoteForward(ssh, "llm", 80, "127.0.0.1", local.port());
        serverEvents.await(mark, EventLog.service(TunnelEvent.Type.SERVICE_REGISTERED, "carol", "llm"), WAIT, "carol registers llm");
        return ssh;
    }

    @Test
    void anIdleButLiveRawSshClientStaysConnected() throws Exception {
        session = carolWithLlm(new JSch(), tunnel.port()); // JSch sends nothing while idle, like ssh without ServerAliveInterval
        int mark = serverEvents.mark();
        CompletableFuture<TunnelEvent> dropped = serverEvents.after(mark, EventLog.user(TunnelEvent.Type.DISCONNECTED, "carol"));

        Duration idle = KEEPALIVE_TIMEOUT.multipliedBy(2);
        try {
            TunnelEvent event = dropped.get(idle.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("The server closed carol's live, idle raw SSH session within " + idle
                    + " (keepalive timeout " + KEEPALIVE_TIMEOUT + "): " + event);
        } catch (TimeoutException expected) {
            // still connected after two keepalive timeouts of silence from the client
        }
        assertThat(get("carol", "llm", "/status/200").statusCode()).isEqualTo(200);
    }

    @Test
    void aRawSshClientWhosePathDiesIsClosedWithinTheKeepaliveTimeout() throws Exception {
        try (BlackHoleProxy path = BlackHoleProxy.to(tunnel.port())) {
            session = carolWithLlm(new JSch(), path.port());
            int mark = serverEvents.mark();

            path.blackHole();

            serverEvents.await(mark, EventLog.user(TunnelEvent.Type.DISCONNECTED, "carol"), KEEPALIVE_TIMEOUT.plus(SLACK),
                    "the server closes carol's half-open raw SSH session within the keepalive timeout");
            HttpResponse<String> gone = get("carol", "llm", "/status/200");
            assertThat(gone.statusCode()).isEqualTo(404);
        }
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
