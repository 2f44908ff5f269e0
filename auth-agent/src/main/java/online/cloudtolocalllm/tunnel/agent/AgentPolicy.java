package online.cloudtolocalllm.tunnel.agent;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which agent operations pass through a forwarded agent; the rest are answered with SSH_AGENT_FAILURE without
 * reaching the agent, and recorded as refused.
 *
 * @param allowed the operations that pass
 */
public record AgentPolicy(Set<AgentOperation> allowed) {

    /** The default: only listing keys and signing pass; adding, removing, locking and extensions are refused. */
    public static final AgentPolicy DEFAULT = of(AgentOperation.LIST_IDENTITIES, AgentOperation.SIGN);

    public AgentPolicy {
        allowed = Set.copyOf(allowed);
        if (allowed.contains(AgentOperation.UNKNOWN)) {
            throw new IllegalArgumentException("Unknown agent messages are never forwarded");
        }
    }

    public static AgentPolicy of(AgentOperation... operations) {
        EnumSet<AgentOperation> set = EnumSet.noneOf(AgentOperation.class);
        set.addAll(Arrays.asList(operations));
        return new AgentPolicy(set);
    }

    /** Parses a comma-separated list of {@link AgentOperation#shortName() short names}, such as {@code list,sign}. */
    public static AgentPolicy parse(String operations) {
        EnumSet<AgentOperation> set = EnumSet.noneOf(AgentOperation.class);
        for (String name : operations.split(",")) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            if (wanted.isEmpty()) {
                continue;
            }
            set.add(Arrays.stream(AgentOperation.values())
                    .filter(op -> op != AgentOperation.UNKNOWN && op.shortName().equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Unknown agent operation '" + name.trim() + "'; known: "
                            + Arrays.stream(AgentOperation.values()).filter(op -> op != AgentOperation.UNKNOWN)
                                    .map(AgentOperation::shortName).collect(Collectors.joining(", ")))));
        }
        return new AgentPolicy(set);
    }

    public boolean allows(AgentOperation operation) {
        return allowed.contains(operation);
    }

    @Override
    public String toString() {
        return Arrays.stream(AgentOperation.values()).filter(allowed::contains).map(AgentOperation::shortName)
                .collect(Collectors.joining(",", "AgentPolicy[", "]"));
    }
}
