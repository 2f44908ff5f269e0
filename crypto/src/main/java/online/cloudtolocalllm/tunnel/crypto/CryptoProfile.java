package online.cloudtolocalllm.tunnel.crypto;

import java.util.List;
import java.util.stream.Stream;

/**
 * The named cipher-suite profiles. Every key exchange is ephemeral (a fresh (EC)DH or hybrid post-quantum secret per
 * exchange), so a stolen host key never decrypts recorded sessions. MACs only take effect with a cipher that is
 * not authenticated itself (AES-CTR); the AEAD ciphers carry their own tag. Host-key certificates come before plain
 * keys, as in OpenSSH: a server with a certificate presents it, one without presents its key.
 */
enum CryptoProfile {
    /**
     * Post-quantum hybrid key exchange first (ML-KEM, then Streamlined NTRU Prime as OpenSSH 9.x offers it), classical
     * curve25519 as the fallback; AES-GCM before ChaCha20-Poly1305, since the JDK's AES-GCM is intrinsic.
     */
    MODERN(List.of("mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
            "curve25519-sha256", "curve25519-sha256@libssh.org"),
            List.of("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com"),
            List.of("hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com"),
            List.of("ssh-ed25519-cert-v01@openssh.com", "ecdsa-sha2-nistp256-cert-v01@openssh.com",
                    "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
                    "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521")),
    /** {@link #MODERN} plus NIST ECDH, DH group exchange, AES-CTR and RSA-SHA2 signatures, for older peers. */
    COMPATIBLE(concat(MODERN.kex, List.of("ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
            "diffie-hellman-group-exchange-sha256")),
            concat(MODERN.ciphers, List.of("aes128-ctr", "aes192-ctr", "aes256-ctr")),
            MODERN.macs,
            concat(MODERN.signatures, List.of("rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com",
                    "rsa-sha2-512", "rsa-sha2-256")));

    final List<String> kex;
    final List<String> ciphers;
    final List<String> macs;
    final List<String> signatures;

    CryptoProfile(List<String> kex, List<String> ciphers, List<String> macs, List<String> signatures) {
        this.kex = kex;
        this.ciphers = ciphers;
        this.macs = macs;
        this.signatures = signatures;
    }

    /** The name users configure, such as {@code modern}. */
    String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
