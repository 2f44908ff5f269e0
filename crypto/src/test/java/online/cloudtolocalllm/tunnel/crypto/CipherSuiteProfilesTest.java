package online.cloudtolocalllm.tunnel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.CipherSuite;
import online.cloudtolocalllm.tunnel.spi.CipherSuiteProvider;
import online.cloudtolocalllm.tunnel.spi.Providers;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profiles' lists and order, custom lists, the checks against what the SSH engine runs, and the fips profile
 * asked of this artifact.
 */
class CipherSuiteProfilesTest {
    private final CipherSuiteProvider provider = new ProfileCipherSuiteProvider();

    @Test
    void isFoundOnThePathWithBothProfiles() {
        assertThat(Providers.discover(CipherSuiteProvider.class)).singleElement()
                .satisfies(p -> assertThat(p.profiles()).containsExactlyInAnyOrder("modern", "compatible"));
    }

    @Test
    void thePathIsSearchedOnceAndTheProviderShared() {
        assertThat(Providers.discover(CipherSuiteProvider.class).getFirst())
                .isSameAs(Providers.discover(CipherSuiteProvider.class).getFirst());
    }

    @Test
    void modernPutsPostQuantumKeyExchangeAndAesGcmFirstAndOffersOnlyEphemeralExchanges() {
        CipherSuite modern = provider.create(CryptoOptions.defaults());

        assertThat(modern.profile()).isEqualTo("modern");
        assertThat(modern.kex()).containsExactly("mlkem768x25519-sha256", "sntrup761x25519-sha512",
                "sntrup761x25519-sha512@openssh.com", "curve25519-sha256", "curve25519-sha256@libssh.org");
        assertThat(modern.ciphers()).containsExactly("aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
                "chacha20-poly1305@openssh.com");
        assertThat(modern.signatures()).containsExactly("ssh-ed25519-cert-v01@openssh.com",
                "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
                "ecdsa-sha2-nistp521-cert-v01@openssh.com", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                "ecdsa-sha2-nistp521");
        assertThat(modern.macs()).allMatch(mac -> mac.endsWith("-etm@openssh.com"));
    }

    @Test
    void compatibleAddsNistEcdhGroupExchangeAesCtrAndRsaAfterModern() {
        CipherSuite modern = provider.create(CryptoOptions.defaults());
        CipherSuite compatible = provider.create(CryptoOptions.builder().profile("compatible").build());

        assertThat(compatible.kex()).startsWith(modern.kex().toArray(String[]::new))
                .contains("ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256")
                .noneMatch(kex -> kex.contains("sha1"));
        assertThat(compatible.ciphers()).startsWith(modern.ciphers().toArray(String[]::new))
                .contains("aes128-ctr", "aes256-ctr").noneMatch(cipher -> cipher.contains("cbc"));
        assertThat(compatible.macs()).containsExactly("hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com");
        assertThat(compatible.signatures()).endsWith("rsa-sha2-512", "rsa-sha2-256");
    }

    @Test
    void listsReplaceTheProfilesOwn() {
        CipherSuite custom = provider.create(CryptoOptions.builder().profile("compatible")
                .kex(List.of("curve25519-sha256")).ciphers(List.of("aes256-ctr")).macs(List.of("hmac-sha2-512-etm@openssh.com"))
                .build());

        assertThat(custom.profile()).isEqualTo("compatible+custom");
        assertThat(custom.kex()).containsExactly("curve25519-sha256");
        assertThat(custom.ciphers()).containsExactly("aes256-ctr");
        assertThat(custom.macs()).containsExactly("hmac-sha2-512-etm@openssh.com");
    }

    @Test
    void anUnsupportedNameIsRefusedWithWhatIsSupported() {
        assertThatThrownBy(() -> provider.create(CryptoOptions.builder().kex(List.of("curve25519-sha256", "kyber-512")).build()))
                .isInstanceOf(TunnelException.class)
                .hasMessageContaining("Unsupported key exchange 'kyber-512'")
                .hasMessageContaining("supported here: ").hasMessageContaining("mlkem768x25519-sha256")
                .satisfies(e -> assertThat(((TunnelException) e).code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR));
        assertThatThrownBy(() -> provider.create(CryptoOptions.builder().ciphers(List.of("aes512-gcm")).build()))
                .hasMessageContaining("Unsupported cipher 'aes512-gcm'");
    }

    @Test
    void weakAlgorithmsTheEngineStillKnowsAreRefused() {
        assertThatThrownBy(() -> provider.create(CryptoOptions.builder().ciphers(List.of("none")).build()))
                .hasMessageContaining(": Weak cipher 'none' refused");
        assertThatThrownBy(() -> provider.create(CryptoOptions.builder().ciphers(List.of("aes128-cbc")).build()))
                .hasMessageContaining(": Weak cipher 'aes128-cbc' refused");
        assertThatThrownBy(() -> provider.create(CryptoOptions.builder().macs(List.of("hmac-md5-96")).build()))
                .hasMessageContaining(": Weak MAC 'hmac-md5-96' refused");
        assertThatThrownBy(() -> provider.create(CryptoOptions.builder().kex(List.of("diffie-hellman-group14-sha1")).build()))
                .hasMessageContaining(": Weak key exchange 'diffie-hellman-group14-sha1' refused");
    }

    @Test
    void anUnknownProfileIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> provider.create(CryptoOptions.builder().profile("paranoid").build()))
                .hasMessageEndingWith("Unknown crypto profile 'paranoid'; known: compatible, modern");
    }

    @Test
    void theFipsProfileWithThisArtifactNamesTheOneItNeeds(@TempDir Path dataDir) {
        assertThatThrownBy(() -> TestServer.start(dataDir, b -> b.crypto(CryptoOptions.builder().profile("fips").build())))
                .hasStackTraceContaining("Unknown crypto profile 'fips'; known: compatible, modern; the fips profile needs the "
                        + "artifact online.cloudtolocalllm.tunnel:crypto-fips in place of online.cloudtolocalllm.tunnel:crypto "
                        + "(and org.bouncycastle:bc-fips in place of bcprov-jdk18on)");
    }
}
