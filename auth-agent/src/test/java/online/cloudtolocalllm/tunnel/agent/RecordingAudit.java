package online.cloudtolocalllm.tunnel.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import online.cloudtolocalllm.tunnel.testing.Await;

/** An audit sink that keeps every record, for assertions. */
final class RecordingAudit implements AgentAudit {
    private final List<AgentAuditRecord> records = new ArrayList<>();

    @Override
    public synchronized void record(AgentAuditRecord record) {
        records.add(record);
    }

    synchronized List<AgentAuditRecord> all() {
        return List.copyOf(records);
    }

    /** Waits (bounded) for a record that matches: records are made as answers go out, on other threads. */
    AgentAuditRecord await(Predicate<AgentAuditRecord> matches, String what) {
        Await.until(Duration.ofSeconds(10), what + "; records: " + all(), () -> all().stream().anyMatch(matches));
        return all().stream().filter(matches).findFirst().orElseThrow();
    }

    static Predicate<AgentAuditRecord> of(AgentOperation operation, AgentAuditRecord.Result result) {
        return r -> r.operation() == operation && r.result() == result;
    }
}
