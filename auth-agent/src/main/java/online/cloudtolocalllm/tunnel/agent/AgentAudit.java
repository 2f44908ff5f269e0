package online.cloudtolocalllm.tunnel.agent;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives a record of every agent operation (who, which key, what, how it ended). Called on the thread that
 * answered, so it must return quickly.
 */
@FunctionalInterface
public interface AgentAudit {

    void record(AgentAuditRecord record);

    /** Writes each record to the logger {@code online.cloudtolocalllm.tunnel.agent.audit} at info level. */
    static AgentAudit log() {
        Logger log = LoggerFactory.getLogger("online.cloudtolocalllm.tunnel.agent.audit");
        return record -> log.info("{}", record);
    }

    /** Drops every record. */
    static AgentAudit noop() {
        return record -> { };
    }

    /** Gives each record to every sink in turn; a sink that throws does not stop the others. */
    static AgentAudit composite(AgentAudit... sinks) {
        List<AgentAudit> all = List.of(sinks);
        Logger log = LoggerFactory.getLogger(AgentAudit.class);
        return record -> {
            for (AgentAudit sink : all) {
                try {
                    sink.record(record);
                } catch (RuntimeException e) {
                    log.warn("Agent audit sink {} failed on {}", sink, record, e);
                }
            }
        };
    }
}
