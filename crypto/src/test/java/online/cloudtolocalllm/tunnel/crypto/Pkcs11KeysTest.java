package online.cloudtolocalllm.tunnel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.core.KeyFiles;
import online.cloudtolocalllm.tunnel.spi.SshKey;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's host key and a client's login key in a SoftHSM2 token, used through SunPKCS11 while Bouncy Castle is
 * registered: the tunnel works end to end, and the client sees the token key's fingerprint.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Pkcs11KeysTest {
    private static SoftHsmToken token;

    @TempDir
    Path dataDir;

    private final TcpTestService echo = TcpTestService.echo();
    private TestServer tunnel;

    @BeforeAll
    static void initialiseToken() throws Exception {
        token = SoftHsmToken.shared();
        token.generateEcKey("host");
        token.generateEcKey("alice");
    }

    @AfterEach
    void stop() {
        if (tunnel != null) {
            tunnel.close();
        }
        echo.close();
    }

    @Test
    void theKeyStaysInTheTokenAndBouncyCastleAloneCouldNotSignWithIt() {
        SshKey key = new Pkcs11KeyStoreProvider().create(token.uri("host"));

        assertThat(key.keyPair().getPrivate().getEncoded()).as("a sensitive key never leaves the token").isNull();
        assertThat(key.signer().getName()).startsWith("SunPKCS11");
        assertThat(SecurityUtils.isBouncyCastleRegistered()).isTrue();
        assertThatThrownBy(() -> SecurityUtils.getSignature("SHA256withECDSA").initSign(key.keyPair().getPrivate()))
                .as("sshd signs through BC, which cannot use a token key: hence the routing")
                .isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void theServersHostKeyInTheTokenIsTheOneTheClientSeesAndPins() throws Exception {
        String expected = KeyFiles.fingerprint(token.publicKey("host"));
        tunnel = TestServer.start(dataDir, b -> b.crypto(CryptoOptions.builder().key(token.uri("host")).build()));

        assertThat(tunnel.server().hostKeyFingerprint()).isEqualTo(expected);
        TunnelClient client = tunnel.connect(tunnel.clientConfig("alice").hostKeys(HostKeyPolicy.pinned(expected))
                .expose("echo", "127.0.0.1", echo.port()).build());

        assertThat(client.crypto()).hasValueSatisfying(c -> assertThat(c.hostKey()).isEqualTo("ecdsa-sha2-nistp256"));
        assertThat(Files.list(dataDir)).as("no host key file is made").isEmpty();
        assertEchoes();
    }

    @Test
    void aClientLogsInWithItsKeyInTheTokenAndNoToken() throws Exception {
        Path authorizedKeys = Files.writeString(dataDir.resolve("authorized_keys"),
                KeyFiles.publicKeyLine(token.publicKey("alice"), "alice") + "\n");
        tunnel = TestServer.start(dataDir.resolve("server"), b -> b.authorizedKeys(authorizedKeys)
                .crypto(CryptoOptions.builder().key(token.uri("host")).build()));

        tunnel.connect(TunnelClientConfig.builder().server(tunnel.tunnelUri()).user("alice")
                .hostKeys(HostKeyPolicy.pinned(tunnel.server().hostKeyFingerprint()))
                .crypto(CryptoOptions.builder().key(token.uri("alice")).build())
                .expose("echo", "127.0.0.1", echo.port()).build());

        assertThat(tunnel.server().sessions()).singleElement().satisfies(s -> assertThat(s.user()).isEqualTo("alice"));
        assertEchoes();
    }

    @Test
    void aMissingObjectIsNamedWithWhatTheTokenHolds() {
        URI missing = URI.create(token.uri("host").toString().replace("object=host", "object=nope"));

        assertThatThrownBy(() -> new Pkcs11KeyStoreProvider().create(missing))
                .hasMessageContaining("No private key with a certificate at PKCS#11 object 'nope'")
                .hasMessageContaining("alice").hasMessageContaining("host");
    }

    private void assertEchoes() throws Exception {
        try (TunnelStream stream = tunnel.server().openStream("alice", "echo").get(10, TimeUnit.SECONDS)) {
            byte[] hello = "signed in the token".getBytes(StandardCharsets.UTF_8);
            stream.write(ByteBuffer.wrap(hello)).get(10, TimeUnit.SECONDS);
            assertThat(stream.inputStream().readNBytes(hello.length)).isEqualTo(hello);
        }
    }
}
