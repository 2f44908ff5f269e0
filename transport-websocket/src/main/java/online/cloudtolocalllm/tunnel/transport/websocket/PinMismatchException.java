package online.cloudtolocalllm.tunnel.transport.websocket;

import java.security.cert.CertificateException;

/** A trusted certificate chain without any pinned public key; its message names both sides' pins. */
final class PinMismatchException extends CertificateException {
    private static final long serialVersionUID = 1L;

    PinMismatchException(String message) {
        super(message);
    }
}
