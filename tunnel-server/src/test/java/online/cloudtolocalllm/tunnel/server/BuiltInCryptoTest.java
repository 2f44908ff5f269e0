package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without the {@code crypto} artifact on the path the engine's built-in lists apply (post-quantum first) and are
 * reported; asking for a profile or a list is an error naming the artifact to add.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BuiltInCryptoTest {
    @TempDir
    Path dataDir;

    @Test
    void theBuiltInListsNegotiatePostQuantumAndAreReported() throws Exception {
        EventLog clientEvents = new EventLog();
        try (TestServer tunnel = TestServer.start(dataDir)) {
            TunnelClient client = tunnel.connect(tunnel.clientConfig("alice").listener(clientEvents).build());

            assertThat(client.crypto()).hasValueSatisfying(c -> {
                assertThat(c.kex()).isEqualTo("mlkem768x25519-sha256");
                assertThat(c.cipher()).isEqualTo("aes128-gcm@openssh.com");
            });
            assertThat(clientEvents.ofType(TunnelEvent.Type.KEY_EXCHANGED)).hasSize(1);
            assertThat(tunnel.server().sessions()).singleElement()
                    .satisfies(s -> assertThat(s.crypto().kex()).isEqualTo("mlkem768x25519-sha256"));
        }
    }

    @Test
    void choosingAProfileWithoutTheCryptoArtifactNamesIt() {
        assertThatThrownBy(() -> TestServer.start(dataDir, b -> b.crypto(CryptoOptions.builder().profile("compatible").build())))
                .hasStackTraceContaining("needs a cipher-suite provider: add the artifact online.cloudtolocalllm.tunnel:crypto");
    }

    @Test
    void rekeyLimitsApplyWithoutTheCryptoArtifactToo() throws Exception {
        EventLog clientEvents = new EventLog();
        CryptoOptions rekeyEverySecond = CryptoOptions.builder().rekey(CryptoOptions.DEFAULT_REKEY_BYTES, Duration.ofSeconds(1)).build();
        try (TestServer tunnel = TestServer.start(dataDir, b -> b.crypto(rekeyEverySecond))) {
            tunnel.connect(tunnel.clientConfig("alice").crypto(rekeyEverySecond).listener(clientEvents).build());

            clientEvents.await(e -> e.type() == TunnelEvent.Type.KEY_EXCHANGED && e.detail().endsWith("exchanges=2"),
                    Duration.ofSeconds(20), "a rekey");
        }
    }
}
