package online.cloudtolocalllm.tunnel.crypto.fips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.SessionCrypto;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fips profile end to end over WebSocket with bc-fips alone on the path: what the two sides settle on, how it is
 * reported, and the ECDSA host key the server creates for it. Neither side names a profile for the server: with
 * crypto-fips in place of crypto, fips is the default.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FipsNegotiationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private final EventLog serverEvents = new EventLog();
    private final EventLog clientEvents = new EventLog();
    private final TcpTestService echo = TcpTestService.echo();
    private TestServer tunnel;

    @AfterEach
    void stop() {
        if (tunnel != null) {
            tunnel.close();
        }
        echo.close();
    }

    private void startServer(CryptoOptions crypto) throws Exception {
        tunnel = TestServer.start(dataDir, b -> b.crypto(crypto).listener(serverEvents));
    }

    private TunnelClient connect(CryptoOptions crypto) throws Exception {
        return tunnel.connect(tunnel.clientConfig("alice").expose("echo", "127.0.0.1", echo.port())
                .crypto(crypto).listener(clientEvents).build());
    }

    @Test
    void nistEcdhAndAesGcmWithAnEcdsaHostKeyRelayBytesAndAreReported() throws Exception {
        startServer(CryptoOptions.defaults());
        TunnelClient client = connect(CryptoOptions.builder().profile("fips").build());

        SessionCrypto expected = new SessionCrypto("ecdh-sha2-nistp256", "ecdsa-sha2-nistp256", "aes128-gcm@openssh.com", "implicit", 1);
        assertThat(client.crypto()).contains(expected);
        assertThat(tunnel.server().sessions()).singleElement().satisfies(s -> assertThat(s.crypto()).isEqualTo(expected));
        assertThat(clientEvents.ofType(TunnelEvent.Type.KEY_EXCHANGED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo(expected.toString()));
        serverEvents.await(EventLog.detail(TunnelEvent.Type.KEY_EXCHANGED, expected.toString()), WAIT, "the server's key exchange event");
        assertThat(dataDir.resolve("ssh_host_ecdsa_key")).exists();
        assertThat(dataDir.resolve("ssh_host_ed25519_key")).doesNotExist();
        assertEchoes();
    }

    @ParameterizedTest
    @CsvSource({
        "ecdh-sha2-nistp384, aes256-gcm@openssh.com, hmac-sha2-256, implicit",
        "ecdh-sha2-nistp521, aes128-ctr, hmac-sha2-256-etm@openssh.com, hmac-sha2-256-etm@openssh.com",
        "diffie-hellman-group-exchange-sha256, aes256-ctr, hmac-sha2-512-etm@openssh.com, hmac-sha2-512-etm@openssh.com",
        "diffie-hellman-group16-sha512, aes128-ctr, hmac-sha2-256, hmac-sha2-256",
        "diffie-hellman-group14-sha256, aes256-ctr, hmac-sha2-512, hmac-sha2-512"})
    void everyApprovedKeyExchangeCipherAndMacRunsOnBcFips(String kex, String cipher, String mac, String negotiatedMac)
            throws Exception {
        startServer(CryptoOptions.defaults());
        TunnelClient client = connect(CryptoOptions.builder().kex(List.of(kex)).ciphers(List.of(cipher)).macs(List.of(mac)).build());

        assertThat(client.crypto()).contains(new SessionCrypto(kex, "ecdsa-sha2-nistp256", cipher, negotiatedMac, 1));
        assertEchoes();
    }

    private void assertEchoes() throws Exception {
        try (TunnelStream stream = tunnel.server().openStream("alice", "echo").get(10, TimeUnit.SECONDS)) {
            byte[] hello = "hello through the tunnel".getBytes(StandardCharsets.UTF_8);
            stream.write(ByteBuffer.wrap(hello)).get(10, TimeUnit.SECONDS);
            assertThat(stream.inputStream().readNBytes(hello.length)).isEqualTo(hello);
        }
    }
}
