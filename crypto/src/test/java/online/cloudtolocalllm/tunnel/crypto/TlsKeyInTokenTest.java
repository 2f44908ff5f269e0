package online.cloudtolocalllm.tunnel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import online.cloudtolocalllm.tunnel.api.TlsSettings;
import online.cloudtolocalllm.tunnel.api.TlsTrust;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS certificate of the server's port with its private key in a SoftHSM2 token that holds other keys too: the
 * server terminates TLS 1.3 with the entry it is told (through SunPKCS11, while Bouncy Castle is registered), the key
 * never leaves the token, and a {@code wss://} client that trusts the certificate (and pins its key) connects.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsKeyInTokenTest {
    private static SoftHsmToken token;

    @TempDir
    Path dir;

    private TestServer tunnel;

    @BeforeAll
    static void initialiseToken() throws Exception {
        token = SoftHsmToken.shared();
        token.generateEcKey("other-tls");
        token.generateTlsKey("tls");
    }

    @AfterEach
    void stop() {
        if (tunnel != null) {
            tunnel.close();
        }
    }

    @Test
    void theServerTerminatesTlsWithAKeyThatStaysInTheToken() throws Exception {
        KeyStore store = token.keyStore();
        Key key = store.getKey("tls", SoftHsmToken.PIN.toCharArray());
        assertThat(key.getEncoded()).as("a token key cannot be exported").isNull();
        Certificate certificate = store.getCertificate("tls");
        tunnel = TestServer.start(dir.resolve("data"),
                b -> b.tls(TlsSettings.keyStore(store, SoftHsmToken.PIN.toCharArray(), "tls").build()));

        TunnelClient client = tunnel.connect(tunnel.clientConfig("alice").server(tunnel.secureTunnelUri())
                .tlsTrust(pem(certificate)).tlsPins(TlsTrust.pinOf((X509Certificate) certificate)).build());

        assertThat(client.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(tunnel.server().sessions()).singleElement().satisfies(session -> assertThat(session.user()).isEqualTo("alice"));
        client.shutdownNow();
        assertThat(client.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    private Path pem(Certificate certificate) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded());
        return Files.writeString(dir.resolve("server.pem"), "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
    }
}
