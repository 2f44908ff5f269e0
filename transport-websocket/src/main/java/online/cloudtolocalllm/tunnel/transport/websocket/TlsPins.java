package online.cloudtolocalllm.tunnel.transport.websocket;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import online.cloudtolocalllm.tunnel.api.TlsTrust;

/** The public-key pin check both client transports share (pins as {@link TlsTrust#pinOf} computes them). */
final class TlsPins {
    private TlsPins() {
    }

    /**
     * Passes if a certificate of {@code chain} has one of {@code pins}; otherwise fails, naming the expected pins and
     * each certificate of the chain with its pin.
     */
    static void check(List<String> pins, List<X509Certificate> chain, String host) throws PinMismatchException {
        if (chain.stream().map(TlsTrust::pinOf).anyMatch(pins::contains)) {
            return;
        }
        String actual = chain.stream()
                .map(certificate -> TlsTrust.pinOf(certificate) + " (" + certificate.getSubjectX500Principal().getName() + ")")
                .collect(Collectors.joining(", "));
        throw new PinMismatchException("The TLS certificate chain of " + host + " has none of the pinned public keys: expected "
                + String.join(" or ", pins) + "; the chain has " + actual);
    }
}
