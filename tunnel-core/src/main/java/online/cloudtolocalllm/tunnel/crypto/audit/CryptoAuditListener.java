package online.cloudtolocalllm.tunnel.crypto.audit;

import java.util.Map;
import java.util.Set;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelListener;

/**
 * Turns a client's or server's crypto events into audit records: add it as a listener to either. Other events pass
 * by.
 */
public final class CryptoAuditListener implements TunnelListener {
    private static final Map<TunnelEvent.Type, CryptoAuditRecord.Kind> KINDS = Map.of(
            TunnelEvent.Type.KEY_EXCHANGED, CryptoAuditRecord.Kind.KEY_EXCHANGED,
            TunnelEvent.Type.KEY_EXCHANGE_FAILED, CryptoAuditRecord.Kind.NEGOTIATION_FAILED,
            TunnelEvent.Type.HOST_KEY_REFUSED, CryptoAuditRecord.Kind.HOST_KEY_REFUSED,
            TunnelEvent.Type.HOST_KEY_ANNOUNCED, CryptoAuditRecord.Kind.HOST_KEY_ANNOUNCED,
            TunnelEvent.Type.HOST_KEY_ROTATED, CryptoAuditRecord.Kind.HOST_KEY_ROTATED,
            TunnelEvent.Type.HOST_KEYS_LEARNED, CryptoAuditRecord.Kind.HOST_KEYS_LEARNED,
            TunnelEvent.Type.CRYPTO_REFUSED, CryptoAuditRecord.Kind.POLICY_REFUSED);
    /** Failures of a client's TLS handshake, which reach listeners as {@link TunnelEvent.Type#FAILED}. */
    private static final Set<ErrorCode> TLS_FAILURES = Set.of(ErrorCode.TLS_HANDSHAKE_FAILED, ErrorCode.TLS_PIN_MISMATCH);

    private final CryptoAudit audit;

    private CryptoAuditListener(CryptoAudit audit) {
        this.audit = audit;
    }

    /** A listener recording to {@code audit}. */
    public static CryptoAuditListener to(CryptoAudit audit) {
        return new CryptoAuditListener(audit);
    }

    /** A listener recording to {@link CryptoAudit#log()}. */
    public static CryptoAuditListener logging() {
        return to(CryptoAudit.log());
    }

    @Override
    public void onEvent(TunnelEvent event) {
        CryptoAuditRecord.Kind kind = event.type() == TunnelEvent.Type.FAILED && event.cause() instanceof TunnelException e
                && TLS_FAILURES.contains(e.code()) ? CryptoAuditRecord.Kind.TLS_REFUSED : KINDS.get(event.type());
        if (kind != null) {
            audit.record(new CryptoAuditRecord(event.time(), kind, event.endpoint(), event.user(), event.detail()));
        }
    }
}
