package online.cloudtolocalllm.tunnel.transport.websocket;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.jspecify.annotations.Nullable;

/** Names TLS failures of a connection attempt with their codes: a pin mismatch, any other handshake failure. */
final class TlsFailures {
    private TlsFailures() {
    }

    /** The coded exception for {@code failure} if a TLS failure is among its causes, else null. */
    static @Nullable TunnelException classify(Throwable failure, String endpoint) {
        @Nullable SSLException tls = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PinMismatchException pins) {
                return new TunnelException(ErrorCode.TLS_PIN_MISMATCH, String.valueOf(pins.getMessage()), failure);
            }
            if (tls == null && t instanceof SSLException ssl) {
                tls = ssl;
            }
        }
        if (tls == null) {
            return null;
        }
        return new TunnelException(ErrorCode.TLS_HANDSHAKE_FAILED,
                "TLS handshake with " + endpoint + " failed: " + rootMessage(tls), failure);
    }

    /** The most specific message: a certificate failure's (untrusted chain, host name mismatch) or the TLS one's. */
    private static String rootMessage(SSLException tls) {
        for (Throwable t = tls; t != null; t = t.getCause()) {
            if (t instanceof CertificateException certificate && certificate.getMessage() != null) {
                return certificate.getMessage();
            }
        }
        return String.valueOf(tls.getMessage());
    }
}
