package online.cloudtolocalllm.tunnel.crypto.audit;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One crypto event, as the audit sink receives it.
 *
 * @param time when it happened
 * @param kind what happened
 * @param endpoint the server URI (client side), the peer's address or the server's own address (server side)
 * @param user the tunnel user, when known
 * @param detail the algorithms, fingerprints or reason
 */
public record CryptoAuditRecord(Instant time, Kind kind, String endpoint, @Nullable String user, String detail) {

    /** The kinds of crypto event. */
    public enum Kind {
        /** A key exchange completed, the first or a rekey; the detail names the algorithms. */
        KEY_EXCHANGED,
        /** A key exchange failed; the detail names both sides' offers. */
        NEGOTIATION_FAILED,
        /** The client refused the server's host key, or announced keys the server did not prove. */
        HOST_KEY_REFUSED,
        /** The server announced a successor host key. */
        HOST_KEY_ANNOUNCED,
        /** The server presents its successor host key; the old one retired. */
        HOST_KEY_ROTATED,
        /** The client trusts host keys the server proved it holds. */
        HOST_KEYS_LEARNED,
        /** The endpoint's crypto policy was refused (a FIPS refusal, say), so it did not start. */
        POLICY_REFUSED,
        /** The client refused the server's TLS certificate: untrusted, another host's, or not matching a pin. */
        TLS_REFUSED
    }

    public CryptoAuditRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return time + " crypto event=" + kind.name().toLowerCase(Locale.ROOT) + " endpoint=" + endpoint
                + (user == null ? "" : " user=" + user) + " - " + detail;
    }
}
