package online.cloudtolocalllm.tunnel.transport.websocket;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a server's chain with the trust manager it wraps (trust anchors, host name), then requires one of the
 * pinned keys in that chain or in the trust anchor that issued its last certificate (servers rarely send the root).
 */
final class PinningTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager verified;
    private final List<String> pins;

    PinningTrustManager(X509ExtendedTrustManager verified, List<String> pins) {
        this.verified = verified;
        this.pins = List.copyOf(pins);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verified.checkServerTrusted(chain, authType, engine);
        TlsPins.check(pins, withAnchor(chain), engine.getPeerHost() + ":" + engine.getPeerPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verified.checkServerTrusted(chain, authType, socket);
        TlsPins.check(pins, withAnchor(chain), socket.getInetAddress().getHostAddress() + ":" + socket.getPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verified.checkServerTrusted(chain, authType);
        TlsPins.check(pins, withAnchor(chain), "the server");
    }

    /** {@code chain} and, unless it ends in one, the trusted certificate that signed its last one. */
    private List<X509Certificate> withAnchor(X509Certificate[] chain) {
        List<X509Certificate> path = new ArrayList<>(List.of(chain));
        X509Certificate last = chain[chain.length - 1];
        if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            return path;
        }
        for (X509Certificate anchor : verified.getAcceptedIssuers()) {
            if (anchor.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && signed(last, anchor)) {
                path.add(anchor);
                break;
            }
        }
        return path;
    }

    private static boolean signed(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("A tunnel client does not accept TLS clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("A tunnel client does not accept TLS clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("A tunnel client does not accept TLS clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return verified.getAcceptedIssuers();
    }
}
