package online.cloudtolocalllm.tunnel.core;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Optional;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.CipherSuite;
import org.apache.sshd.common.cipher.ECCurves;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * The kind of host key a server creates when it has none: one for the first signature algorithm its cipher suite
 * offers (an ECDSA key for the {@code fips} profile, which has no Ed25519), Ed25519 without a suite. Each kind has
 * its own file, named as OpenSSH names them, so a server that changes profile never signs with a key it must not use.
 *
 * @param keyType the SSH key type, such as {@code ssh-ed25519}
 * @param bits the key size
 * @param fileName the private key file in the data directory, such as {@code ssh_host_ed25519_key}
 */
record HostKeyType(String keyType, int bits, String fileName) {
    static final HostKeyType ED25519 = new HostKeyType(KeyPairProvider.SSH_ED25519, 256, "ssh_host_ed25519_key");

    static HostKeyType of(Optional<CipherSuite> suite) {
        return suite.map(s -> s.signatures().stream().flatMap(name -> forSignature(name).stream()).findFirst()
                .orElseThrow(() -> new TunnelException(ErrorCode.CONFIGURATION_ERROR,
                        "No host key can be created for the signature algorithms " + s.signatures())))
                .orElse(ED25519);
    }

    private static Optional<HostKeyType> forSignature(String name) {
        if (KeyUtils.isCertificateAlgorithm(name)) {
            return Optional.empty(); // a certificate is made for a key, never instead of one
        }
        if (name.equals(KeyPairProvider.SSH_ED25519)) {
            return Optional.of(ED25519);
        }
        ECCurves curve = ECCurves.fromKeyType(name);
        if (curve != null) {
            return Optional.of(new HostKeyType(name, curve.getKeySize(), "ssh_host_ecdsa_key"));
        }
        return name.startsWith("rsa-sha2-") ? Optional.of(new HostKeyType(KeyPairProvider.SSH_RSA, 3072, "ssh_host_rsa_key"))
                : Optional.empty();
    }

    /** A new key pair of this kind. */
    KeyPair generate() {
        try {
            return KeyUtils.generateKeyPair(keyType, bits);
        } catch (GeneralSecurityException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot generate a " + keyType + " key: " + e.getMessage(), e);
        }
    }
}
