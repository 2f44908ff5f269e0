package online.cloudtolocalllm.tunnel.cli;

import java.io.PrintWriter;
import online.cloudtolocalllm.tunnel.agent.AgentAudit;
import online.cloudtolocalllm.tunnel.agent.AgentAuditRecord;

/** Prints each agent operation as one line, so whoever runs the command sees every use of a forwarded agent. */
final class AuditPrinter implements AgentAudit {
    private final PrintWriter out;

    AuditPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void record(AgentAuditRecord record) {
        synchronized (out) {
            out.println(record);
            out.flush();
        }
    }
}
