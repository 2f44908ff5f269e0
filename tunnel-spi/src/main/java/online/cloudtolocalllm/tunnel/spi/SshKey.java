package online.cloudtolocalllm.tunnel.spi;

import java.security.KeyPair;
import java.security.Provider;
import java.util.Objects;

/**
 * An endpoint's own SSH key whose private half may never leave a token.
 *
 * @param keyPair the public key and a handle to the private key
 * @param signer the security provider that signs with the private key (the token's PKCS#11 provider)
 * @param description where the key lives, for messages, such as {@code pkcs11 token 'tunnel' object 'host'}
 */
public record SshKey(KeyPair keyPair, Provider signer, String description) {
    public SshKey {
        Objects.requireNonNull(keyPair, "keyPair");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(description, "description");
    }
}
