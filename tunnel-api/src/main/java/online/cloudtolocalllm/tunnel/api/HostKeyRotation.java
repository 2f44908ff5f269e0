package online.cloudtolocalllm.tunnel.api;

import java.time.Duration;

/**
 * How often the server's SSH host key rotates: every {@code interval} a successor is generated and announced to
 * clients ({@code hostkeys-00@openssh.com}); {@code overlap} later it becomes the key the server presents and the
 * old key retires. Clients connected during the overlap learn the successor before the switch.
 *
 * @param interval time between two announcements, which is each key's lifetime
 * @param overlap time a successor is announced before it is presented; shorter than {@code interval}
 */
public record HostKeyRotation(Duration interval, Duration overlap) {
    public HostKeyRotation {
        Durations.positive("host-key rotation interval", interval);
        Durations.positive("host-key rotation overlap", overlap);
        if (overlap.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("host-key rotation overlap " + overlap + " must be shorter than its interval "
                    + interval);
        }
    }
}
