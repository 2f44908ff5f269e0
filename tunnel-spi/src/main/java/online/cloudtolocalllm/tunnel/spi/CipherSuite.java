package online.cloudtolocalllm.tunnel.spi;

import java.util.List;
import java.util.Objects;

/**
 * The SSH algorithms an endpoint offers, each list in order of preference, by their SSH names.
 *
 * @param profile the profile it came from, such as {@code modern} ({@code modern+custom} when lists replaced some of its own)
 * @param kex key exchange algorithms, such as {@code mlkem768x25519-sha256}
 * @param ciphers ciphers, such as {@code aes128-gcm@openssh.com}
 * @param macs MACs, such as {@code hmac-sha2-256-etm@openssh.com}
 * @param signatures host key and user key signature algorithms, such as {@code ssh-ed25519}
 */
public record CipherSuite(String profile, List<String> kex, List<String> ciphers, List<String> macs, List<String> signatures) {
    public CipherSuite {
        Objects.requireNonNull(profile, "profile");
        kex = nonEmpty("kex", kex);
        ciphers = nonEmpty("ciphers", ciphers);
        macs = nonEmpty("macs", macs);
        signatures = nonEmpty("signatures", signatures);
    }

    private static List<String> nonEmpty(String what, List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("A cipher suite needs at least one of " + what);
        }
        return List.copyOf(names);
    }
}
