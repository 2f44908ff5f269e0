package online.cloudtolocalllm.tunnel.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a client verifies a {@code wss://} server: its certificate chain must lead to the JDK's trust store, or to a
 * certificate in a given PEM file, and name the host dialled. Public-key pins ({@code sha256/BASE64} of a
 * certificate's SubjectPublicKeyInfo, as in HPKP and OkHttp) add to that check: a verified chain is then accepted
 * only if one of its certificates has a pinned key. For a self-signed server, trust its own certificate file.
 */
public final class TlsTrust {
    private static final TlsTrust SYSTEM = new TlsTrust(null, List.of());
    private static final String PIN_PREFIX = "sha256/";

    private final @Nullable Path certificates;
    private final List<String> pins;

    private TlsTrust(@Nullable Path certificates, List<String> pins) {
        this.certificates = certificates;
        this.pins = List.copyOf(pins);
    }

    /** The JDK's trust store, no pins. */
    public static TlsTrust system() {
        return SYSTEM;
    }

    /** This trust with the CA (or server) certificates in PEM file {@code certificates} instead of the JDK's store. */
    public TlsTrust withCertificates(Path certificates) {
        if (!Files.isReadable(Objects.requireNonNull(certificates, "certificates"))) {
            throw new IllegalArgumentException("TLS trust file " + certificates + " does not exist or is not readable");
        }
        return new TlsTrust(certificates, pins);
    }

    /** This trust with these public-key pins ({@code sha256/BASE64}) replacing any before. */
    public TlsTrust withPins(List<String> pins) {
        pins.forEach(TlsTrust::requireValidPin);
        return new TlsTrust(certificates, pins);
    }

    /** The PEM file of trusted certificates; empty means the JDK's trust store. */
    public Optional<Path> certificates() {
        return Optional.ofNullable(certificates);
    }

    /** The public-key pins; empty means no pinning. */
    public List<String> pins() {
        return pins;
    }

    /** Whether this is the default: the JDK's trust store and no pins. */
    public boolean isSystem() {
        return certificates == null && pins.isEmpty();
    }

    /** The public-key pin of {@code certificate}: {@code sha256/} and the Base64 SHA-256 of its SubjectPublicKeyInfo. */
    public static String pinOf(X509Certificate certificate) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return PIN_PREFIX + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** {@code pin} if it is {@code sha256/} and the Base64 of 32 bytes; an exception saying what is wrong otherwise. */
    public static String requireValidPin(String pin) {
        if (!pin.startsWith(PIN_PREFIX)) {
            throw new IllegalArgumentException("Expected a public-key pin like sha256/BASE64, got '" + pin + "'");
        }
        try {
            if (Base64.getDecoder().decode(pin.substring(PIN_PREFIX.length())).length == 32) {
                return pin;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("Public-key pin '" + pin + "' is not sha256/ and the Base64 of a SHA-256 hash");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlsTrust that && Objects.equals(certificates, that.certificates) && pins.equals(that.pins);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificates, pins);
    }

    @Override
    public String toString() {
        return "TlsTrust[" + (certificates == null ? "system" : certificates) + (pins.isEmpty() ? "" : ", pins=" + pins) + "]";
    }
}
