package online.cloudtolocalllm.tunnel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.SessionCrypto;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both profiles end to end over WebSocket: what each side offers, what they settle on, how that is reported, the
 * fallback from post-quantum to classical exchange, and the error when the two sides share nothing.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NegotiationTest {
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
    void modernOnBothSidesAgreesOnMlKemAndAesGcmAndReportsItInEventsAndSessions() throws Exception {
        startServer(CryptoOptions.defaults());
        TunnelClient client = connect(CryptoOptions.defaults());

        SessionCrypto expected = new SessionCrypto("mlkem768x25519-sha256", "ssh-ed25519", "aes128-gcm@openssh.com", "implicit", 1);
        assertThat(client.crypto()).contains(expected);
        assertThat(tunnel.server().sessions()).singleElement().satisfies(s -> assertThat(s.crypto()).isEqualTo(expected));
        assertThat(clientEvents.ofType(TunnelEvent.Type.KEY_EXCHANGED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo(expected.toString()));
        serverEvents.await(EventLog.detail(TunnelEvent.Type.KEY_EXCHANGED, expected.toString()), WAIT, "the server's key exchange event");
        assertEchoes();
    }

    @Test
    void compatibleProfileRunsItsClassicalAlgorithmsEndToEnd() throws Exception {
        startServer(CryptoOptions.builder().profile("compatible").build());
        TunnelClient client = connect(CryptoOptions.builder().profile("compatible").kex(List.of("ecdh-sha2-nistp384"))
                .ciphers(List.of("aes256-ctr")).macs(List.of("hmac-sha2-512-etm@openssh.com")).build());

        assertThat(client.crypto()).contains(new SessionCrypto("ecdh-sha2-nistp384", "ssh-ed25519", "aes256-ctr",
                "hmac-sha2-512-etm@openssh.com", 1));
        assertEchoes();
    }

    @Test
    void compatibleNegotiatesDiffieHellmanGroupExchange() throws Exception {
        startServer(CryptoOptions.builder().profile("compatible").build());
        TunnelClient client = connect(CryptoOptions.builder().profile("compatible")
                .kex(List.of("diffie-hellman-group-exchange-sha256")).build());

        assertThat(client.crypto()).hasValueSatisfying(c -> assertThat(c.kex()).isEqualTo("diffie-hellman-group-exchange-sha256"));
        assertEchoes();
    }

    @Test
    void aClientOfferingOnlyCurve25519FallsBackToItAgainstAModernServer() throws Exception {
        startServer(CryptoOptions.defaults());
        TunnelClient client = connect(CryptoOptions.builder().kex(List.of("curve25519-sha256")).build());

        assertThat(client.crypto()).hasValueSatisfying(c -> assertThat(c.kex()).isEqualTo("curve25519-sha256"));
        serverEvents.await(EventLog.detail(TunnelEvent.Type.KEY_EXCHANGED, "kex=curve25519-sha256 "), WAIT, "the server's classical exchange");
        assertEchoes();
    }

    @Test
    void sidesWithNothingInCommonFailAtOnceWithBothOffers() throws Exception {
        startServer(CryptoOptions.defaults());
        TunnelClient client = TunnelClient.create(tunnel.clientConfig("alice").listener(clientEvents)
                .crypto(CryptoOptions.builder().profile("compatible").kex(List.of("ecdh-sha2-nistp256", "diffie-hellman-group-exchange-sha256"))
                        .build()).build());
        try {
            Throwable failure = catchThrowable(() -> client.start().get(30, TimeUnit.SECONDS));

            String listing = "SSH negotiation failed, no common kex algorithms: the client offers ecdh-sha2-nistp256,"
                    + "diffie-hellman-group-exchange-sha256; the server offers mlkem768x25519-sha256,sntrup761x25519-sha512,"
                    + "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org";
            assertThat(failure.getCause()).isInstanceOfSatisfying(TunnelException.class, e -> {
                assertThat(e.detail()).isEqualTo(listing);
                assertThat(e.code()).isEqualTo(ErrorCode.SSH_ERROR);
            });
            assertThat(client.state()).isEqualTo(TunnelState.FAILED);
            assertThat(clientEvents.ofType(TunnelEvent.Type.RECONNECTING)).isEmpty();
            serverEvents.await(e -> e.type() == TunnelEvent.Type.FAILED && e.detail().equals(listing), WAIT,
                    "the server's failure event");
        } finally {
            client.shutdownNow();
        }
    }

    private void assertEchoes() throws Exception {
        try (TunnelStream stream = tunnel.server().openStream("alice", "echo").get(10, TimeUnit.SECONDS)) {
            byte[] hello = "hello through the tunnel".getBytes(StandardCharsets.UTF_8);
            stream.write(ByteBuffer.wrap(hello)).get(10, TimeUnit.SECONDS);
            assertThat(stream.inputStream().readNBytes(hello.length)).isEqualTo(hello);
        }
    }
}
