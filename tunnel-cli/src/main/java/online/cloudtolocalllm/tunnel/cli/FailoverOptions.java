package online.cloudtolocalllm.tunnel.cli;

import java.time.Duration;
import online.cloudtolocalllm.tunnel.failover.FailoverConfig;
import picocli.CommandLine.Option;

/** The client's failover settings, used when it is given several servers. */
final class FailoverOptions {

    @Option(names = "--failover-detect", paramLabel = "DURATION", defaultValue = "5s",
            description = "With several servers: how long the live one may be silent before the client moves. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration detect;

    @Option(names = "--failback-delay", paramLabel = "DURATION", defaultValue = "30s",
            description = "With several servers: how long a better server must stay healthy before the client goes "
                    + "back to it. Default: ${DEFAULT-VALUE}.")
    Duration failbackDelay;

    @Option(names = "--health-check-interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "With several servers: how often the others' /healthz is checked. Default: ${DEFAULT-VALUE}.")
    Duration healthCheckInterval;

    @Option(names = "--queue-size", paramLabel = "N", defaultValue = "256",
            description = "With several servers: how many forward streams may wait while no session is live; "
                    + "more fail at once with TUNNEL_006. Default: ${DEFAULT-VALUE}.")
    int queueSize;

    @Option(names = "--queue-deadline", paramLabel = "DURATION", defaultValue = "30s",
            description = "With several servers: how long a forward stream waits for a session before it fails "
                    + "with TUNNEL_007. Default: ${DEFAULT-VALUE}.")
    Duration queueDeadline;

    FailoverConfig.Builder apply(FailoverConfig.Builder builder) {
        return builder.detectTimeout(detect)
                .failbackDelay(failbackDelay)
                .healthCheckInterval(healthCheckInterval)
                .queueSize(queueSize)
                .queueDeadline(queueDeadline);
    }
}
