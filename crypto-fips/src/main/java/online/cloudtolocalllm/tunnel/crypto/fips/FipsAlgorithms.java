package online.cloudtolocalllm.tunnel.crypto.fips;

import java.util.List;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/**
 * The FIPS-approved SSH algorithms of the {@code fips} profile, in order of preference: NIST-curve ECDH and MODP
 * Diffie-Hellman with SHA-2, AES in GCM and CTR mode, HMAC-SHA2, ECDSA on NIST curves and RSA with SHA-2 (their
 * OpenSSH host certificates first).
 * Everything else (curve25519, ChaCha20-Poly1305, Ed25519, SHA-1, CBC, post-quantum hybrids) is refused by name.
 */
enum FipsAlgorithms {
    KEX("key exchange", List.of("ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
            "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group14-sha256")),
    CIPHERS("cipher", List.of("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr", "aes256-ctr")),
    MACS("MAC", List.of("hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512")),
    SIGNATURES("signature", List.of("ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
            "ecdsa-sha2-nistp521-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com",
            "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256"));

    private final String what;
    private final List<String> approved;

    FipsAlgorithms(String what, List<String> approved) {
        this.what = what;
        this.approved = approved;
    }

    /** The approved names, in the profile's order of preference. */
    List<String> approved() {
        return approved;
    }

    /** {@code names}, if each is approved; else an error naming the first that is not and listing the approved ones. */
    List<String> check(List<String> names) {
        for (String name : names) {
            if (!approved.contains(name)) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "The fips crypto profile refuses the " + what + " '"
                        + name + "': it is not FIPS-approved; approved: " + String.join(", ", approved));
            }
        }
        return names;
    }
}
