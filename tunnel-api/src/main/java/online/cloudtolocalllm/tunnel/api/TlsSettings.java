package online.cloudtolocalllm.tunnel.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * TLS on the server's own port: its certificate (PEM files, or a {@link KeyStore} such as a PKCS#11 token), the
 * protocols (TLS 1.3 only unless TLS 1.2 is added) and cipher suites, and whether plaintext is refused. With TLS on,
 * the port still takes plaintext HTTP and SSH unless {@link Builder#requireTls(boolean) requireTls} is set.
 */
public final class TlsSettings {
    /** The protocols a server offers unless told otherwise. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3");

    private static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    private final @Nullable Path certificateChain;
    private final @Nullable Path privateKey;
    private final @Nullable KeyStore keyStore;
    private final char[] keyStorePassword;
    private final @Nullable String keyAlias;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final boolean requireTls;

    private TlsSettings(Builder b) {
        this.certificateChain = b.certificateChain;
        this.privateKey = b.privateKey;
        this.keyStore = b.keyStore;
        this.keyStorePassword = b.keyStorePassword.clone();
        this.keyAlias = b.keyAlias;
        this.protocols = List.copyOf(b.protocols);
        this.cipherSuites = List.copyOf(b.cipherSuites);
        this.requireTls = b.requireTls;
    }

    /**
     * Settings for the certificate chain (server certificate first) and unencrypted PKCS#8 private key in these PEM
     * files ({@code BEGIN CERTIFICATE} and {@code BEGIN PRIVATE KEY}, as {@code openssl genpkey} writes it).
     */
    public static Builder pem(Path certificateChain, Path privateKey) {
        Builder b = new Builder();
        b.certificateChain = readable("TLS certificate chain", certificateChain);
        b.privateKey = readable("TLS private key", privateKey);
        return b;
    }

    /** Settings for the key entry with its certificate chain in {@code keyStore}, such as a SunPKCS11 token. */
    public static Builder keyStore(KeyStore keyStore, char[] password) {
        Builder b = new Builder();
        b.keyStore = Objects.requireNonNull(keyStore, "keyStore");
        b.keyStorePassword = Objects.requireNonNull(password, "password").clone();
        return b;
    }

    /**
     * Settings for the key entry {@code alias} of {@code keyStore}, for a store that holds several keys (a token with
     * an SSH host key and a TLS key, say): without an alias, the JDK may present any key entry that fits.
     */
    public static Builder keyStore(KeyStore keyStore, char[] password, String alias) {
        Builder b = keyStore(keyStore, password);
        try {
            if (!keyStore.isKeyEntry(Objects.requireNonNull(alias, "alias"))) {
                throw new IllegalArgumentException("The key store has no key entry '" + alias + "'; its entries: "
                        + java.util.Collections.list(keyStore.aliases()));
            }
        } catch (java.security.KeyStoreException e) {
            throw new IllegalArgumentException("The key store is not loaded: " + e.getMessage(), e);
        }
        b.keyAlias = alias;
        return b;
    }

    private static Path readable(String what, Path file) {
        if (!Files.isReadable(Objects.requireNonNull(file, what))) {
            throw new IllegalArgumentException(what + " file " + file + " does not exist or is not readable");
        }
        return file;
    }

    /** The PEM file with the certificate chain, when the certificate comes from files. */
    public Optional<Path> certificateChain() {
        return Optional.ofNullable(certificateChain);
    }

    /** The PEM file with the private key, when the certificate comes from files. */
    public Optional<Path> privateKey() {
        return Optional.ofNullable(privateKey);
    }

    /** The key store holding the key and its chain, when the certificate does not come from files. */
    public Optional<KeyStore> keyStore() {
        return Optional.ofNullable(keyStore);
    }

    /** The key store entry to present; absent means whichever key entry fits the handshake. */
    public Optional<String> keyAlias() {
        return Optional.ofNullable(keyAlias);
    }

    /** The password (or PIN) of the key store's key entry; a copy. */
    public char[] keyStorePassword() {
        return keyStorePassword.clone();
    }

    /** The TLS protocols offered, such as {@code TLSv1.3}. */
    public List<String> protocols() {
        return protocols;
    }

    /** The cipher suites offered, in order; empty means the JDK's defaults for the protocols. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** Whether plaintext connections are refused: HTTP with 426 and {@code TUNNEL_018}, anything else by closing. */
    public boolean requireTls() {
        return requireTls;
    }

    @Override
    public String toString() {
        return "TlsSettings[" + (certificateChain != null ? "pem=" + certificateChain
                : "keyStore" + (keyAlias != null ? ":" + keyAlias : ""))
                + ", protocols=" + protocols + (cipherSuites.isEmpty() ? "" : ", cipherSuites=" + cipherSuites)
                + (requireTls ? ", requireTls" : "") + "]";
    }

    /** Builds {@link TlsSettings}; each setter checks its value at once. */
    public static final class Builder {
        private @Nullable Path certificateChain;
        private @Nullable Path privateKey;
        private @Nullable KeyStore keyStore;
        private char[] keyStorePassword = new char[0];
        private @Nullable String keyAlias;
        private List<String> protocols = DEFAULT_PROTOCOLS;
        private List<String> cipherSuites = List.of();
        private boolean requireTls;

        private Builder() {
        }

        /** The protocols to offer: {@code TLSv1.3}, {@code TLSv1.2} or both. */
        public Builder protocols(String... protocols) {
            if (protocols.length == 0) {
                throw new IllegalArgumentException("At least one TLS protocol is required: TLSv1.3 or TLSv1.2");
            }
            for (String protocol : protocols) {
                if (!PROTOCOLS.contains(protocol)) {
                    throw new IllegalArgumentException("Unsupported TLS protocol '" + protocol + "': use TLSv1.3 or TLSv1.2");
                }
            }
            this.protocols = List.of(protocols);
            return this;
        }

        /** The cipher suites to offer, in order (JDK names such as {@code TLS_AES_128_GCM_SHA256}). */
        public Builder cipherSuites(String... cipherSuites) {
            for (String suite : cipherSuites) {
                if (suite.isBlank()) {
                    throw new IllegalArgumentException("Blank cipher suite name");
                }
            }
            this.cipherSuites = List.of(cipherSuites);
            return this;
        }

        /** Refuses plaintext connections on the port (off by default: plaintext HTTP and SSH keep working). */
        public Builder requireTls(boolean requireTls) {
            this.requireTls = requireTls;
            return this;
        }

        public TlsSettings build() {
            return new TlsSettings(this);
        }
    }
}
