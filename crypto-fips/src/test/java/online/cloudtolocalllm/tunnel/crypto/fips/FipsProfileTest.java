package online.cloudtolocalllm.tunnel.crypto.fips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.security.Security;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.crypto.audit.CryptoAuditListener;
import online.cloudtolocalllm.tunnel.crypto.audit.CryptoAuditRecord;
import online.cloudtolocalllm.tunnel.spi.CipherSuite;
import online.cloudtolocalllm.tunnel.spi.CipherSuiteProvider;
import online.cloudtolocalllm.tunnel.spi.Providers;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fips profile's lists, the refusal of every non-approved name (in the builder's lists and at server start), and
 * the path it runs on: bc-fips registered and in approved-only mode, bcprov absent, the SSH engine in FIPS mode.
 */
class FipsProfileTest {
    private static final String APPROVED_KEX = "approved: ecdh-sha2-nistp256, ecdh-sha2-nistp384, ecdh-sha2-nistp521, "
            + "diffie-hellman-group-exchange-sha256, diffie-hellman-group16-sha512, diffie-hellman-group14-sha256";

    private final CipherSuiteProvider provider = new FipsCipherSuiteProvider();

    @TempDir
    Path dataDir;

    @Test
    void isTheOnlyProviderOnThePathWithTheFipsProfile() {
        assertThat(Providers.discover(CipherSuiteProvider.class)).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("bc-fips");
            assertThat(p.profiles()).containsExactly("fips");
        });
    }

    @Test
    void offersOnlyApprovedAlgorithmsNistEcdhAndAesGcmFirst() {
        CipherSuite fips = provider.create(CryptoOptions.defaults());

        assertThat(fips.profile()).isEqualTo("fips");
        assertThat(fips.kex()).containsExactly("ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
                "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group14-sha256");
        assertThat(fips.ciphers()).containsExactly("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr", "aes256-ctr");
        assertThat(fips.macs()).containsExactly("hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
                "hmac-sha2-256", "hmac-sha2-512");
        assertThat(fips.signatures()).containsExactly("ecdsa-sha2-nistp256-cert-v01@openssh.com",
                "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
                "rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com",
                "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256");
    }

    @Test
    void runsOnBouncyCastleFipsInApprovedOnlyModeWithoutBcprov() throws Exception {
        provider.create(CryptoOptions.defaults());

        assertThatThrownBy(() -> Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(Security.getProviders()[0].getName()).isEqualTo("BCFIPS");
        assertThat(CryptoServicesRegistrar.isInApprovedOnlyMode()).isTrue();
        assertThat(SecurityUtils.isFipsMode()).isTrue();
        assertThat(SecurityUtils.isBouncyCastleRegistered()).isTrue();
        assertThat(SecurityUtils.getRegisteredProvider(SecurityUtils.BOUNCY_CASTLE).getProviderName()).isEqualTo("BCFIPS");
        assertThat(SecurityUtils.getCipher("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("BCFIPS");
        assertThat(SecurityUtils.getKeyAgreement("ECDH").getProvider().getName()).isEqualTo("BCFIPS");
    }

    @Test
    void approvedCustomListsReplaceTheProfilesOwn() {
        CipherSuite custom = provider.create(CryptoOptions.builder().profile("fips").kex(List.of("ecdh-sha2-nistp384"))
                .ciphers(List.of("aes256-gcm@openssh.com")).macs(List.of("hmac-sha2-512")).build());

        assertThat(custom.profile()).isEqualTo("fips+custom");
        assertThat(custom.kex()).containsExactly("ecdh-sha2-nistp384");
        assertThat(custom.ciphers()).containsExactly("aes256-gcm@openssh.com");
        assertThat(custom.macs()).containsExactly("hmac-sha2-512");
    }

    @ParameterizedTest
    @CsvSource({
        "kex, curve25519-sha256, key exchange",
        "kex, mlkem768x25519-sha256, key exchange",
        "kex, sntrup761x25519-sha512, key exchange",
        "kex, diffie-hellman-group14-sha1, key exchange",
        "ciphers, chacha20-poly1305@openssh.com, cipher",
        "ciphers, aes128-cbc, cipher",
        "macs, hmac-sha1, MAC",
        "macs, hmac-sha2-256-96, MAC"})
    void aNonApprovedNameIsRefusedWithTheApprovedOnes(String list, String name, String what) {
        UnaryOperator<CryptoOptions.Builder> set = switch (list) {
            case "kex" -> b -> b.kex(List.of("ecdh-sha2-nistp256", name));
            case "ciphers" -> b -> b.ciphers(List.of(name));
            default -> b -> b.macs(List.of(name));
        };

        assertThatThrownBy(() -> provider.create(set.apply(CryptoOptions.builder()).build()))
                .isInstanceOfSatisfying(TunnelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR))
                .hasMessageContaining("The fips crypto profile refuses the " + what + " '" + name + "': it is not FIPS-approved; approved: ");
    }

    @Test
    void theServerRefusesToStartWithANonApprovedAlgorithmAndSaysWhich() {
        List<CryptoAuditRecord> audit = new java.util.concurrent.CopyOnWriteArrayList<>();
        TunnelServer server = TunnelServer.create(TunnelServerConfig.builder().listen("127.0.0.1", 0).dataDir(dataDir)
                .jwtSecret(TestTokens.SECRET).crypto(CryptoOptions.builder().kex(List.of("curve25519-sha256")).build())
                .listener(CryptoAuditListener.to(audit::add)).build());

        Throwable failure = catchThrowable(() -> server.start().get(30, TimeUnit.SECONDS));

        assertThat(failure.getCause()).isInstanceOfSatisfying(TunnelException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR);
            assertThat(e.getMessage()).contains("The fips crypto profile refuses the key exchange 'curve25519-sha256': it is not "
                    + "FIPS-approved; " + APPROVED_KEX);
        });
        assertThat(server.address()).isEmpty();
        assertThat(dataDir).isEmptyDirectory();
        assertThat(audit).singleElement().satisfies(record -> {
            assertThat(record.kind()).isEqualTo(CryptoAuditRecord.Kind.POLICY_REFUSED);
            assertThat(record.detail()).contains("refuses the key exchange 'curve25519-sha256'");
        });
    }

    @Test
    void otherProfilesAreNotHere() {
        TunnelServer server = TunnelServer.create(TunnelServerConfig.builder().listen("127.0.0.1", 0).dataDir(dataDir)
                .jwtSecret(TestTokens.SECRET).crypto(CryptoOptions.builder().profile("modern").build()).build());

        assertThat(catchThrowable(() -> server.start().get(30, TimeUnit.SECONDS)))
                .hasMessageContaining("Unknown crypto profile 'modern'; known: fips");
        assertThatThrownBy(() -> provider.create(CryptoOptions.builder().profile("compatible").build()))
                .hasMessageEndingWith(": The crypto-fips artifact offers only the fips profile, not 'compatible'");
    }
}
