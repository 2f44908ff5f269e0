package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import online.cloudtolocalllm.tunnel.spi.CipherSuite;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.Test;

/** The host key a server creates follows the first signature algorithm its suite offers. */
class HostKeyTypeTest {

    @Test
    void withoutASuiteOrWithEd25519FirstItIsEd25519() {
        assertThat(HostKeyType.of(Optional.empty())).isEqualTo(HostKeyType.ED25519);
        assertThat(HostKeyType.of(suite("ssh-ed25519", "ecdsa-sha2-nistp256"))).isEqualTo(HostKeyType.ED25519);
    }

    @Test
    void withEcdsaFirstItIsAnEcdsaKeyOfThatCurveInItsOwnFile() {
        HostKeyType type = HostKeyType.of(suite("ecdsa-sha2-nistp384", "rsa-sha2-512"));

        assertThat(type).isEqualTo(new HostKeyType("ecdsa-sha2-nistp384", 384, "ssh_host_ecdsa_key"));
        assertThat(KeyUtils.getKeyType(type.generate().getPublic())).isEqualTo("ecdsa-sha2-nistp384");
    }

    @Test
    void withRsaSha2FirstItIsAnRsaKey() {
        assertThat(HostKeyType.of(suite("rsa-sha2-256"))).isEqualTo(new HostKeyType("ssh-rsa", 3072, "ssh_host_rsa_key"));
    }

    private static Optional<CipherSuite> suite(String... signatures) {
        return Optional.of(new CipherSuite("test", List.of("curve25519-sha256"), List.of("aes128-gcm@openssh.com"),
                List.of("hmac-sha2-256-etm@openssh.com"), List.of(signatures)));
    }
}
