package online.cloudtolocalllm.tunnel.api;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The SSH crypto policy of an endpoint: a named cipher-suite profile (such as {@code modern} or {@code compatible},
 * from the {@code crypto} artifact), optional algorithm lists that replace the profile's, rekey limits, and a key kept
 * in a token. Build it with {@link #builder()}; {@link #defaults()} is the {@code modern} profile, rekeying every
 * 1 GiB or hour.
 */
public final class CryptoOptions {
    /** Rekey after this many bytes in either direction by default: 1 GiB. */
    public static final long DEFAULT_REKEY_BYTES = 1L << 30;
    /** Rekey after this long by default: one hour. */
    public static final Duration DEFAULT_REKEY_INTERVAL = Duration.ofHours(1);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9@._+-]+");
    private static final CryptoOptions DEFAULTS = new Builder().build();

    private final @Nullable String profile;
    private final List<String> kex;
    private final List<String> ciphers;
    private final List<String> macs;
    private final long rekeyBytes;
    private final Duration rekeyInterval;
    private final @Nullable URI key;

    private CryptoOptions(Builder b) {
        this.profile = b.profile;
        this.kex = List.copyOf(b.kex);
        this.ciphers = List.copyOf(b.ciphers);
        this.macs = List.copyOf(b.macs);
        this.rekeyBytes = b.rekeyBytes;
        this.rekeyInterval = b.rekeyInterval;
        this.key = b.key;
    }

    /** The default policy: the {@code modern} profile (or the engine's built-in lists without the crypto artifact). */
    public static CryptoOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The named profile; empty means the provider's default: {@code modern}, or {@code fips} with crypto-fips. */
    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    /** Key exchange algorithms in order of preference, replacing the profile's when not empty. */
    public List<String> kex() {
        return kex;
    }

    /** Ciphers in order of preference, replacing the profile's when not empty. */
    public List<String> ciphers() {
        return ciphers;
    }

    /** MACs in order of preference, replacing the profile's when not empty. */
    public List<String> macs() {
        return macs;
    }

    /** Whether this asks for anything but the default algorithms (a profile or a list). */
    public boolean choosesAlgorithms() {
        return profile != null || !kex.isEmpty() || !ciphers.isEmpty() || !macs.isEmpty();
    }

    /** Bytes (in either direction) after which the session exchanges new keys. */
    public long rekeyBytes() {
        return rekeyBytes;
    }

    /** Time after which the session exchanges new keys. */
    public Duration rekeyInterval() {
        return rekeyInterval;
    }

    /**
     * Where this endpoint's own SSH key lives when it is not a file: the server's host key or the client's user key
     * in a hardware token, as a PKCS#11 URI such as {@code pkcs11:token=tunnel;object=host?module-path=...}.
     */
    public Optional<URI> key() {
        return Optional.ofNullable(key);
    }

    @Override
    public String toString() {
        return "CryptoOptions[profile=" + (profile == null ? "default" : profile)
                + (kex.isEmpty() ? "" : ", kex=" + kex) + (ciphers.isEmpty() ? "" : ", ciphers=" + ciphers)
                + (macs.isEmpty() ? "" : ", macs=" + macs) + ", rekey=" + rekeyBytes + " bytes/" + rekeyInterval
                + (key == null ? "" : ", key=" + key.getScheme() + ":...") + "]";
    }

    /** Builds {@link CryptoOptions}; each setter checks its value at once. */
    public static final class Builder {
        private @Nullable String profile;
        private final List<String> kex = new ArrayList<>();
        private final List<String> ciphers = new ArrayList<>();
        private final List<String> macs = new ArrayList<>();
        private long rekeyBytes = DEFAULT_REKEY_BYTES;
        private Duration rekeyInterval = DEFAULT_REKEY_INTERVAL;
        private @Nullable URI key;

        private Builder() {
        }

        /** A named profile: {@code modern} (the default) or {@code compatible}; {@code fips} with crypto-fips. */
        public Builder profile(String profile) {
            if (!profile.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("A profile name is lower-case letters, digits and '-', was '" + profile + "'");
            }
            this.profile = profile;
            return this;
        }

        /** Key exchange algorithms to offer, in order, such as {@code curve25519-sha256}. */
        public Builder kex(List<String> names) {
            return replace(kex, "kex", names);
        }

        /** Ciphers to offer, in order, such as {@code aes128-gcm@openssh.com}. */
        public Builder ciphers(List<String> names) {
            return replace(ciphers, "ciphers", names);
        }

        /** MACs to offer, in order, such as {@code hmac-sha2-256-etm@openssh.com}. */
        public Builder macs(List<String> names) {
            return replace(macs, "macs", names);
        }

        /** Exchanges new keys after {@code bytes} in either direction or after {@code interval}, whichever is first. */
        public Builder rekey(long bytes, Duration interval) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("The rekey byte limit must be at least 1024, was " + bytes);
            }
            this.rekeyBytes = bytes;
            this.rekeyInterval = Durations.positive("rekey interval", interval);
            return this;
        }

        /** This endpoint's own key in a token, as a PKCS#11 URI ({@code pkcs11:...}). */
        public Builder key(URI key) {
            if (key.getScheme() == null) {
                throw new IllegalArgumentException("A key location needs a scheme such as pkcs11:, was '" + key + "'");
            }
            this.key = key;
            return this;
        }

        private Builder replace(List<String> target, String what, List<String> names) {
            if (names.isEmpty()) {
                throw new IllegalArgumentException(what + " must name at least one algorithm");
            }
            for (String name : names) {
                if (!NAME.matcher(Objects.requireNonNull(name, what)).matches()) {
                    throw new IllegalArgumentException("Not an algorithm name in " + what + ": '" + name + "'");
                }
            }
            if (names.stream().distinct().count() != names.size()) {
                throw new IllegalArgumentException(what + " names an algorithm twice: " + names);
            }
            target.clear();
            target.addAll(names);
            return this;
        }

        public CryptoOptions build() {
            return new CryptoOptions(this);
        }
    }
}
