package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.TlsSettings;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TestCertificates;
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
 * TLS on the server's one port: wss:// tunnels, https:// ingress and raw SSH inside TLS next to plaintext HTTP; the
 * certificate from PEM files or a key store; protocols and suites as configured; plaintext refused when TLS is
 * required; a broken handshake closes only its own connection.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final EventLog serverEvents = new EventLog();
    private TestCertificates ca;
    private TestCertificates.Issued certificate;
    private TestHttpService local;
    private @Nullable TestServer tunnel;
    private HttpClient https;

    @BeforeEach
    void certificates() {
        ca = TestCertificates.authority(dir, "tls");
        certificate = ca.issue("server", "127.0.0.1", "localhost");
        local = TestHttpService.start();
        https = HttpClient.newBuilder().sslContext(ca.clientContext()).connectTimeout(WAIT).build();
    }

    @AfterEach
    void stop() {
        if (tunnel != null) {
            tunnel.close();
        }
        local.close();
    }

    private TestServer start(TlsSettings tls) throws Exception {
        tunnel = TestServer.start(dir.resolve("data"), b -> b.tls(tls).listener(serverEvents));
        return tunnel;
    }

    private TlsSettings.Builder pem() {
        return TlsSettings.pem(certificate.chainFile(), certificate.keyFile());
    }

    private HttpResponse<String> get(HttpClient client, java.net.URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(WAIT).header("Authorization", "Bearer " + TestTokens.valid("alice"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWssClientTrustingTheCaRegistersAndHttpsIngressReachesItsServiceWhilePlaintextStillWorks() throws Exception {
        TestServer server = start(pem().build());
        TunnelClient alice = server.connect(server.clientConfig("alice").server(server.secureTunnelUri())
                .tlsTrust(ca.caFile()).expose(new ExposedService("llm", "127.0.0.1", local.port())).build());

        HttpResponse<String> response = get(https, server.secureIngress("alice", "llm", "/echo"));

        assertThat(alice.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).as("ALPN settles on http/1.1").isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.headers().firstValue("X-Seen-X-Forwarded-Proto")).hasValue("https");
        HttpResponse<String> plain = get(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                server.ingress("alice", "llm", "/echo"));
        assertThat(plain.statusCode()).as("plaintext HTTP on the same port").isEqualTo(200);
        assertThat(plain.headers().firstValue("X-Seen-X-Forwarded-Proto")).hasValue("http");
    }

    @Test
    void aRawSshClientInsideTlsLogsInAndItsRemoteForwardIsReachable() throws Exception {
        TestServer server = start(pem().build());
        JSch jsch = new JSch();
        Session ssh = JschClients.passwordSession(jsch, "carol", "127.0.0.1", server.port(), TestTokens.valid("carol"));
        ssh.setSocketFactory(new TlsSocketFactory(ca.clientContext()));
        int mark = serverEvents.mark();
        try {
            ssh.connect((int) WAIT.toMillis());
            JschClients.remoteForward(ssh, "llm", 80, "127.0.0.1", local.port());
            serverEvents.await(mark, EventLog.service(TunnelEvent.Type.SERVICE_REGISTERED, "carol", "llm"), WAIT, "carol registers llm");

            HttpResponse<String> response = https.send(HttpRequest.newBuilder(server.secureIngress("carol", "llm", "/echo"))
                    .timeout(WAIT).header("Authorization", "Bearer " + TestTokens.valid("carol"))
                    .POST(HttpRequest.BodyPublishers.ofString("ssh inside tls")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("ssh inside tls");
        } finally {
            ssh.disconnect();
        }
    }

    @Test
    void theCertificateMayComeFromAKeyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "changeit".toCharArray();
        store.setKeyEntry("server", certificate.keys().getPrivate(), password,
                new Certificate[] {certificate.certificate(), ca.caCertificate()});
        TestServer server = start(TlsSettings.keyStore(store, password).build());

        HttpResponse<String> health = https.send(HttpRequest.newBuilder(
                java.net.URI.create("https://localhost:" + server.port() + "/healthz")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void tls13OnlyByDefaultTls12WhenAddedAndTheConfiguredSuite() throws Exception {
        int tls13Only = start(pem().build()).port();
        assertThatThrownBy(() -> handshake(tls13Only, "TLSv1.2")).isInstanceOf(SSLHandshakeException.class);
        try (SSLSocket socket = handshake(tls13Only, "TLSv1.3")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        tunnel.close();

        int port = start(pem().protocols("TLSv1.3", "TLSv1.2").cipherSuites("TLS_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384").build()).port();
        SSLSocket tls12 = handshake(port, "TLSv1.2");
        SSLSocket tls13 = handshake(port, "TLSv1.3");
        assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(tls12.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        assertThat(tls13.getSession().getCipherSuite()).isEqualTo("TLS_AES_256_GCM_SHA384");
        tls12.close();
        tls13.close();
    }

    @Test
    void aFailedHandshakeIsReportedToTheServersListeners() throws Exception {
        int port = start(pem().build()).port();

        assertThatThrownBy(() -> handshake(port, "TLSv1.2")).isInstanceOf(SSLHandshakeException.class);

        TunnelEvent failed = serverEvents.await(0, event -> event.type() == TunnelEvent.Type.FAILED
                && event.cause() instanceof TunnelException e && e.code() == ErrorCode.TLS_HANDSHAKE_FAILED, WAIT,
                "a FAILED event for the refused handshake");
        assertThat(failed.detail()).contains("TLS handshake from /127.0.0.1:", "failed");
    }

    private SSLSocket handshake(int port, String protocol) throws IOException {
        SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout((int) WAIT.toMillis());
        socket.setEnabledProtocols(new String[] {protocol});
        socket.startHandshake();
        return socket;
    }

    @Test
    void aSuiteTheJdkDoesNotKnowOrAKeyThatIsNoKeyStopTheServerFromStarting() {
        assertThatThrownBy(() -> start(pem().cipherSuites("TLS_NO_SUCH_SUITE").build()))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(TunnelException.wrap(e, ErrorCode.SSH_ERROR).code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR))
                .hasMessageContaining("TLS_NO_SUCH_SUITE");
        assertThatThrownBy(() -> TunnelServer.create(TunnelServerConfig.builder().listen("127.0.0.1", 0).dataDir(dir)
                        .jwtSecret(TestTokens.SECRET).tls(TlsSettings.pem(certificate.chainFile(), certificate.chainFile()).build())
                        .build()).start().get())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("TUNNEL_010").hasMessageContaining("Cannot set up TLS");
    }

    @Test
    void withTlsRequiredPlaintextHttpGets426NamingTlsAndPlaintextSshAndWsAreRefused() throws Exception {
        TestServer server = start(pem().requireTls(true).build());

        HttpResponse<String> plain = get(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                java.net.URI.create("http://127.0.0.1:" + server.port() + "/healthz"));
        assertThat(plain.statusCode()).isEqualTo(426);
        assertThat(plain.headers().firstValue("Upgrade")).hasValue("TLS/1.3");
        assertThat(plain.body()).contains("\"code\":\"TUNNEL_018\"").contains("https://");
        assertClosedByServer(server.port(), "SSH-2.0-plain\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> server.connect(server.clientConfig("alice").build()))
                .rootCause().isInstanceOf(TunnelException.class)
                .satisfies(e -> assertThat(((TunnelException) e).code()).isEqualTo(ErrorCode.TLS_REQUIRED));

        assertThat(get(https, java.net.URI.create("https://127.0.0.1:" + server.port() + "/healthz")).statusCode()).isEqualTo(200);
        assertThat(server.connect(server.clientConfig("alice").server(server.secureTunnelUri()).tlsTrust(ca.caFile()).build())
                .state()).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void garbageAfterAClientHelloOrAnAbortedHandshakeClosesOnlyThatConnection() throws Exception {
        TestServer server = start(pem().build());
        TunnelClient alice = server.connect(server.clientConfig("alice").server(server.secureTunnelUri())
                .tlsTrust(ca.caFile()).expose(new ExposedService("llm", "127.0.0.1", local.port())).build());
        byte[] hello = clientHello(server.port());
        byte[] noise = new byte[4096];
        new Random(6).nextBytes(noise);

        assertClosedByServer(server.port(), hello, noise);
        try (Socket aborted = new Socket("127.0.0.1", server.port())) {
            aborted.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
        }
        assertClosedByServer(server.port(), new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5}, noise);

        assertThat(alice.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(get(https, server.secureIngress("alice", "llm", "/status/200")).statusCode())
                .as("the other tunnel keeps working").isEqualTo(200);
        assertThat(serverEvents.all()).noneMatch(EventLog.user(TunnelEvent.Type.DISCONNECTED, "alice"));
    }

    /** The bytes of a real TLS ClientHello for the server. */
    private byte[] clientHello(int port) throws Exception {
        SSLEngine engine = ca.clientContext().createSSLEngine("127.0.0.1", port);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static void assertClosedByServer(int port, byte[]... chunks) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            for (byte[] chunk : chunks) {
                try {
                    out.write(chunk);
                } catch (IOException closedAlready) {
                    return;
                }
            }
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // drain what the server says before it closes (a TLS alert, say)
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("The server kept the connection open", e);
            } catch (IOException reset) {
                // closed
            }
        }
    }

    /** JSch sockets inside TLS, verified with {@code context} and the host name. */
    private record TlsSocketFactory(SSLContext context) implements com.jcraft.jsch.SocketFactory {
        @Override
        public Socket createSocket(String host, int port) throws IOException {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        }

        @Override
        public InputStream getInputStream(Socket socket) throws IOException {
            return socket.getInputStream();
        }

        @Override
        public OutputStream getOutputStream(Socket socket) throws IOException {
            return socket.getOutputStream();
        }
    }
}
