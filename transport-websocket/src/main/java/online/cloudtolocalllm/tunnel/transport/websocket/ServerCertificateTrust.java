package online.cloudtolocalllm.tunnel.transport.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TlsTrust;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.jspecify.annotations.Nullable;

/** The trust manager both client transports verify {@code wss://} servers with, built from a {@link TlsTrust}. */
final class ServerCertificateTrust {
    private ServerCertificateTrust() {
    }

    /** PKIX over the JDK's trust store or the trust's certificate file, then the trust's pins if it has any. */
    static X509ExtendedTrustManager of(TlsTrust trust) {
        KeyStore anchors = trust.certificates().map(ServerCertificateTrust::load).orElse(null);
        X509ExtendedTrustManager pkix = pkix(anchors);
        return trust.pins().isEmpty() ? pkix : new PinningTrustManager(pkix, trust.pins());
    }

    private static X509ExtendedTrustManager pkix(@Nullable KeyStore anchors) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("The JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "No certificate in TLS trust file " + file);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("trusted-" + i++, certificate);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR,
                    "Cannot read the certificates in TLS trust file " + file + ": " + e.getMessage(), e);
        }
    }
}
