package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TlsSettings;
import online.cloudtolocalllm.tunnel.api.TlsTrust;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TestCertificates;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How both client transports (Netty and OkHttp) verify a wss:// server: the CA given or the JDK's trust store, the
 * host name, and public-key pins on top; each refusal is final, with its own code and the reason.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsPinningTest {
    @TempDir
    Path dir;

    private @Nullable TestServer tunnel;

    @AfterEach
    void stop() {
        if (tunnel != null) {
            tunnel.close();
        }
    }

    private TestServer serverWith(TestCertificates.Issued certificate) throws Exception {
        tunnel = TestServer.start(dir.resolve("data"),
                b -> b.tls(TlsSettings.pem(certificate.chainFile(), certificate.keyFile()).build()));
        return tunnel;
    }

    private static TunnelClientConfig.Builder client(TestServer server, String transport) {
        return server.clientConfig("alice").server(server.secureTunnelUri()).transportId(transport);
    }

    private static TunnelException refusal(TestServer server, TunnelClientConfig config, ErrorCode code) {
        Throwable thrown = catchThrowable(() -> server.connect(config));
        assertThat(thrown).as("the connection is refused").isNotNull();
        TunnelException failure = TunnelException.wrap(thrown, ErrorCode.SSH_ERROR);
        assertThat(failure.code()).as(failure.getMessage()).isEqualTo(code);
        return failure;
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "okhttp"})
    void aPinOfTheServersKeyOrOfItsCaConnects(String transport) throws Exception {
        TestCertificates ca = TestCertificates.authority(dir, "pins");
        TestCertificates.Issued certificate = ca.issue("server", "127.0.0.1");
        TestServer server = serverWith(certificate);

        assertThat(server.connect(client(server, transport).tlsTrust(ca.caFile()).tlsPins(certificate.pin()).build()).state())
                .isEqualTo(TunnelState.CONNECTED);
        assertThat(server.connect(client(server, transport).tlsTrust(ca.caFile())
                .tlsPins("sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", TlsTrust.pinOf(ca.caCertificate())).build())
                .state()).isEqualTo(TunnelState.CONNECTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "okhttp"})
    void aPinMismatchRefusesTheConnectionNamingTheExpectedAndActualPins(String transport) throws Exception {
        TestCertificates ca = TestCertificates.authority(dir, "pins");
        TestCertificates.Issued certificate = ca.issue("server", "127.0.0.1");
        String otherKey = ca.issue("other", "127.0.0.1").pin();
        TestServer server = serverWith(certificate);
        EventLog events = new EventLog();

        TunnelException failure = refusal(server, client(server, transport).tlsTrust(ca.caFile()).tlsPins(otherKey)
                .listener(events).build(), ErrorCode.TLS_PIN_MISMATCH);

        assertThat(failure.getMessage()).contains("expected " + otherKey)
                .contains(certificate.pin() + " (CN=server)")
                .contains(TlsTrust.pinOf(ca.caCertificate()));
        assertThat(events.all()).as("refused for good, not retried").noneMatch(EventLog.type(TunnelEvent.Type.RECONNECTING));
        assertThat(server.server().sessions()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "okhttp"})
    void aCertificateFromAnUnknownCaIsRefused(String transport) throws Exception {
        TestServer server = serverWith(TestCertificates.authority(dir, "unknown").issue("server", "127.0.0.1"));

        TunnelException failure = refusal(server, client(server, transport).build(), ErrorCode.TLS_HANDSHAKE_FAILED);

        assertThat(failure.getMessage()).contains("TLS handshake with 127.0.0.1:" + server.port() + " failed")
                .containsIgnoringCase("certification path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "okhttp"})
    void aCertificateForAnotherHostIsRefused(String transport) throws Exception {
        TestCertificates ca = TestCertificates.authority(dir, "hosts");
        TestServer server = serverWith(ca.issue("elsewhere", "elsewhere.example"));

        TunnelException failure = refusal(server, client(server, transport).tlsTrust(ca.caFile()).build(),
                ErrorCode.TLS_HANDSHAKE_FAILED);

        assertThat(failure.getMessage()).contains("127.0.0.1");
    }
}
