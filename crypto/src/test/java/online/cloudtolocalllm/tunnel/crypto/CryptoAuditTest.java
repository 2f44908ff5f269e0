package online.cloudtolocalllm.tunnel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.crypto.audit.CryptoAudit;
import online.cloudtolocalllm.tunnel.crypto.audit.CryptoAuditListener;
import online.cloudtolocalllm.tunnel.crypto.audit.CryptoAuditRecord;
import online.cloudtolocalllm.tunnel.crypto.audit.CryptoAuditRecord.Kind;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.MutableClock;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of crypto event of a real client and server reaches the audit sink as one structured record: the
 * algorithms negotiated, a failed negotiation, a refused host key, a host-key rotation and the keys a client learned.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CryptoAuditTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final List<CryptoAuditRecord> serverRecords = new CopyOnWriteArrayList<>();
    private final List<CryptoAuditRecord> clientRecords = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();
    private TestServer tunnel;

    @AfterEach
    void stop() {
        if (tunnel != null) {
            tunnel.close();
        }
    }

    @Test
    void eachKindOfCryptoEventReachesTheSink() throws Exception {
        tunnel = TestServer.start(dir.resolve("data"), b -> b.clock(clock).hostKeyRotation(Duration.ofDays(30), Duration.ofDays(2))
                .listener(CryptoAuditListener.to(serverRecords::add)));
        String oldKey = tunnel.server().hostKeyFingerprint();
        TunnelClient client = tunnel.connect(tunnel.clientConfig("alice")
                .listener(CryptoAuditListener.to(CryptoAudit.composite(clientRecords::add, CryptoAudit.log()))).build());

        CryptoAuditRecord exchanged = awaitRecord(clientRecords, Kind.KEY_EXCHANGED);
        assertThat(exchanged.toString()).contains(" crypto event=key_exchanged endpoint=" + tunnel.tunnelUri() + " user=alice - kex=");
        assertThat(awaitRecord(serverRecords, Kind.KEY_EXCHANGED).detail()).startsWith("kex=");

        clock.advance(Duration.ofDays(30));
        String newKey = awaitRecord(serverRecords, Kind.HOST_KEY_ANNOUNCED).detail().split(" ")[1];
        assertThat(awaitRecord(clientRecords, Kind.HOST_KEYS_LEARNED).detail()).contains(newKey);
        clock.advance(Duration.ofDays(2));
        assertThat(awaitRecord(serverRecords, Kind.HOST_KEY_ROTATED).detail()).contains("presenting " + newKey, "retired " + oldKey);
        client.shutdownNow();

        TunnelClient stranger = TunnelClient.create(tunnel.clientConfig("bob").hostKeys(HostKeyPolicy.pinned(oldKey))
                .listener(CryptoAuditListener.to(clientRecords::add)).build());
        catchThrowable(() -> stranger.start().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(awaitRecord(clientRecords, Kind.HOST_KEY_REFUSED).detail()).contains("is " + newKey, "expected " + oldKey);

        TunnelClient mismatched = TunnelClient.create(tunnel.clientConfig("carol").listener(CryptoAuditListener.to(clientRecords::add))
                .crypto(CryptoOptions.builder().profile("compatible").kex(List.of("ecdh-sha2-nistp256")).build()).build());
        catchThrowable(() -> mismatched.start().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(awaitRecord(clientRecords, Kind.NEGOTIATION_FAILED).detail()).startsWith("SSH negotiation failed, no common kex");
        assertThat(awaitRecord(serverRecords, Kind.NEGOTIATION_FAILED).detail()).contains("the client offers ecdh-sha2-nistp256");

        assertThat(catchThrowable(() -> TunnelClient.create(tunnel.clientConfig("dave")
                .listener(CryptoAuditListener.to(clientRecords::add))
                .crypto(CryptoOptions.builder().kex(List.of("diffie-hellman-group1-sha1")).build()).build())))
                .hasMessageContaining("Weak key exchange 'diffie-hellman-group1-sha1' refused");
        assertThat(awaitRecord(clientRecords, Kind.POLICY_REFUSED).detail()).contains("diffie-hellman-group1-sha1");
    }

    @Test
    void otherEventsAreNotAuditedTlsRefusalsAreAndAFailingSinkDoesNotStopTheOthers() {
        List<CryptoAuditRecord> records = new CopyOnWriteArrayList<>();
        CryptoAuditListener listener = CryptoAuditListener.to(CryptoAudit.composite(record -> {
            throw new IllegalStateException("broken sink");
        }, records::add, CryptoAudit.noop()));

        listener.onEvent(new TunnelEvent(TunnelEvent.Type.CONNECTED, Instant.EPOCH, "ws://x", "alice", null, "", null, 1, null));
        listener.onEvent(new TunnelEvent(TunnelEvent.Type.HOST_KEY_REFUSED, Instant.EPOCH, "ws://x", "alice", null, "why", null, 1, null));
        listener.onEvent(new TunnelEvent(TunnelEvent.Type.FAILED, Instant.EPOCH, "wss://x", "alice", null, "pins",
                new TunnelException(ErrorCode.TLS_PIN_MISMATCH, "pins"), 1, null));
        listener.onEvent(new TunnelEvent(TunnelEvent.Type.FAILED, Instant.EPOCH, "wss://x", "alice", null, "token",
                new TunnelException(ErrorCode.TOKEN_EXPIRED, "token"), 1, null));

        assertThat(records).containsExactly(new CryptoAuditRecord(Instant.EPOCH, Kind.HOST_KEY_REFUSED, "ws://x", "alice", "why"),
                new CryptoAuditRecord(Instant.EPOCH, Kind.TLS_REFUSED, "wss://x", "alice", "pins"));
    }

    private static CryptoAuditRecord awaitRecord(List<CryptoAuditRecord> records, Kind kind) {
        Await.until(WAIT, "a " + kind + " record among " + records, () -> records.stream().anyMatch(r -> r.kind() == kind));
        return records.stream().filter(r -> r.kind() == kind).findFirst().orElseThrow();
    }
}
