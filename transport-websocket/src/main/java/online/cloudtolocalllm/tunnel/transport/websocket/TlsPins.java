package online.cloudtolocalllm.tunnel.transport.websocket;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/** Public-key pins: {@code sha256/} and the Base64 SHA-256 of a certificate's SubjectPublicKeyInfo (HPKP, OkHttp). */
public final class TlsPins {
    private TlsPins() {
    }

    /** The pin of {@code certificate}'s public key. */
    public static String of(X509Certificate certificate) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return "sha256/" + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Passes if a certificate of {@code chain} has one of {@code pins}; otherwise fails, naming the expected pins and
     * each certificate of the chain with its pin.
     */
    static void check(List<String> pins, List<X509Certificate> chain, String host) throws PinMismatchException {
        if (chain.stream().map(TlsPins::of).anyMatch(pins::contains)) {
            return;
        }
        String actual = chain.stream()
                .map(certificate -> of(certificate) + " (" + certificate.getSubjectX500Principal().getName() + ")")
                .collect(Collectors.joining(", "));
        throw new PinMismatchException("The TLS certificate chain of " + host + " has none of the pinned public keys: expected "
                + String.join(" or ", pins) + "; the chain has " + actual);
    }
}
