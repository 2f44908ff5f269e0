/**
 * Cipher-suite profiles and PKCS#11 keys, found through the SPI:
 * {@link online.cloudtolocalllm.tunnel.crypto.ProfileCipherSuiteProvider} turns crypto options into the algorithm
 * lists an endpoint offers, {@link online.cloudtolocalllm.tunnel.crypto.Pkcs11KeyStoreProvider} loads a key that
 * stays in its token.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.crypto;

import org.jspecify.annotations.NullMarked;
