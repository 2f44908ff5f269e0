package online.cloudtolocalllm.tunnel.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509ExtendedTrustManager;
import okhttp3.CertificatePinner;
import online.cloudtolocalllm.tunnel.api.TlsTrust;
import online.cloudtolocalllm.tunnel.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Public-key pins: OkHttp's format, and a CA's pin matches when the server sends only its own certificate. */
class TlsPinsTest {
    @TempDir
    Path dir;

    @Test
    void pinsAreOkHttpsSha256OfTheSubjectPublicKeyInfo() {
        X509Certificate certificate = TestCertificates.authority(dir, "format").issue("server", "127.0.0.1").certificate();

        assertThat(TlsTrust.pinOf(certificate)).isEqualTo(CertificatePinner.pin(certificate)).startsWith("sha256/");
    }

    @Test
    void theTrustAnchorsPinMatchesAChainThatLeavesItOut() throws Exception {
        TestCertificates ca = TestCertificates.authority(dir, "anchor");
        X509Certificate[] leafOnly = {ca.issue("server", "127.0.0.1").certificate()};
        String caPin = TlsTrust.pinOf(ca.caCertificate());
        String otherPin = TlsTrust.pinOf(TestCertificates.authority(dir, "other").caCertificate());

        ServerCertificateTrust.of(TlsTrust.system().withCertificates(ca.caFile()).withPins(java.util.List.of(caPin)))
                .checkServerTrusted(leafOnly, "ECDHE_ECDSA");
        X509ExtendedTrustManager mismatch = ServerCertificateTrust.of(TlsTrust.system().withCertificates(ca.caFile())
                .withPins(java.util.List.of(otherPin)));
        assertThatThrownBy(() -> mismatch.checkServerTrusted(leafOnly, "ECDHE_ECDSA"))
                .isInstanceOf(PinMismatchException.class)
                .hasMessageContaining("expected " + otherPin)
                .hasMessageContaining(caPin + " (CN=anchor test CA)");
    }
}
