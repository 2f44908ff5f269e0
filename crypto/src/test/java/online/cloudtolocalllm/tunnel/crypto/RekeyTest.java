package online.cloudtolocalllm.tunnel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
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

/** Sessions exchange new keys after a number of bytes and after a time, without disturbing the data in flight. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RekeyTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private final EventLog serverEvents = new EventLog();
    private final EventLog clientEvents = new EventLog();
    private final TcpTestService sink = TcpTestService.sha256Sink();
    private final TcpTestService echo = TcpTestService.echo();
    private TestServer tunnel;

    @AfterEach
    void stop() {
        if (tunnel != null) {
            tunnel.close();
        }
        sink.close();
        echo.close();
    }

    private TunnelClient connect(CryptoOptions crypto) throws Exception {
        tunnel = TestServer.start(dataDir, b -> b.crypto(crypto).listener(serverEvents));
        return tunnel.connect(tunnel.clientConfig("alice").expose("sink", "127.0.0.1", sink.port())
                .expose("echo", "127.0.0.1", echo.port())
                .crypto(crypto).listener(clientEvents).build());
    }

    @Test
    void rekeysEveryFewHundredKilobytesWhileFourMegabytesArriveIntact() throws Exception {
        TunnelClient client = connect(CryptoOptions.builder().rekey(256 * 1024, Duration.ofHours(1)).build());

        byte[] data = new byte[4 << 20];
        new Random(7).nextBytes(data);
        assertThat(sendThrough(data)).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));

        // 4 MiB at one rekey per 256 KiB each way: well over 8 exchanges on top of the first
        assertThat(clientEvents.ofType(TunnelEvent.Type.KEY_EXCHANGED)).hasSizeGreaterThan(8)
                .allSatisfy(e -> assertThat(e.detail()).contains("kex=mlkem768x25519-sha256"));
        assertThat(client.crypto().orElseThrow().keyExchanges()).isGreaterThan(8);
        serverEvents.awaitCount(TunnelEvent.Type.KEY_EXCHANGED, 9, WAIT);
    }

    @Test
    void theClientKeepsRelayingItsServiceWhileKeysChange() throws Exception {
        // the client relays the echo on its WebSocket's event loop; a write there during a key exchange must be
        // queued, never block the loop that carries the exchange
        connect(CryptoOptions.builder().rekey(256 * 1024, Duration.ofHours(1)).build());
        byte[] data = new byte[8 << 20];
        new Random(11).nextBytes(data);

        try (TunnelStream stream = tunnel.server().openStream("alice", "echo").get(10, TimeUnit.SECONDS)) {
            InputStream in = stream.inputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try (OutputStream out = stream.outputStream()) {
                    out.write(data);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(in.readNBytes(data.length)).isEqualTo(data);
            writer.join();
        }
        assertThat(clientEvents.ofType(TunnelEvent.Type.KEY_EXCHANGED)).hasSizeGreaterThan(16);
    }

    @Test
    void rekeysWhenTheIntervalHasPassedAndTheSessionGoesOnWorking() throws Exception {
        connect(CryptoOptions.builder().rekey(CryptoOptions.DEFAULT_REKEY_BYTES, Duration.ofSeconds(1)).build());

        // the 2 s keepalive is traffic, and traffic after the interval triggers the exchange
        clientEvents.awaitCount(TunnelEvent.Type.KEY_EXCHANGED, 3, WAIT);
        byte[] data = "still intact after rekeying".getBytes(StandardCharsets.UTF_8);
        assertThat(sendThrough(data)).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
    }

    @Test
    void defaultsAreOneGibibyteAndOneHour() {
        assertThat(CryptoOptions.defaults().rekeyBytes()).isEqualTo(1L << 30);
        assertThat(CryptoOptions.defaults().rekeyInterval()).isEqualTo(Duration.ofHours(1));
    }

    /** Sends {@code data} to the sink service and returns the SHA-256 it answers with. */
    private String sendThrough(byte[] data) throws Exception {
        try (TunnelStream stream = tunnel.server().openStream("alice", "sink").get(10, TimeUnit.SECONDS)) {
            InputStream in = stream.inputStream();
            try (OutputStream out = stream.outputStream()) {
                for (int offset = 0; offset < data.length; offset += 32 * 1024) {
                    out.write(data, offset, Math.min(32 * 1024, data.length - offset));
                }
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
