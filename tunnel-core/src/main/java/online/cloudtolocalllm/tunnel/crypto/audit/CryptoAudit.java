package online.cloudtolocalllm.tunnel.crypto.audit;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives a record of every crypto event: algorithms negotiated, a failed negotiation, a refused host key, a host-key
 * rotation, host keys learned. Called on the thread that published the event, so it must return quickly.
 */
@FunctionalInterface
public interface CryptoAudit {

    void record(CryptoAuditRecord record);

    /** Writes each record to the logger {@code online.cloudtolocalllm.tunnel.crypto.audit} at info level. */
    static CryptoAudit log() {
        Logger log = LoggerFactory.getLogger("online.cloudtolocalllm.tunnel.crypto.audit");
        return record -> log.info("{}", record);
    }

    /** Drops every record. */
    static CryptoAudit noop() {
        return record -> { };
    }

    /** Gives each record to every sink in turn; a sink that throws does not stop the others. */
    static CryptoAudit composite(CryptoAudit... sinks) {
        List<CryptoAudit> all = List.of(sinks);
        Logger log = LoggerFactory.getLogger(CryptoAudit.class);
        return record -> {
            for (CryptoAudit sink : all) {
                try {
                    sink.record(record);
                } catch (RuntimeException e) {
                    log.warn("Crypto audit sink {} failed on {}", sink, record, e);
                }
            }
        };
    }
}
