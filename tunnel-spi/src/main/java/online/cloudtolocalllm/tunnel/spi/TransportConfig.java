package online.cloudtolocalllm.tunnel.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * What a client transport is created with.
 *
 * @param connectTimeout the limit for establishing a connection
 * @param pingInterval how often to ping when quiet
 * @param idleTimeout how long without any received data before the connection is declared dead and closed
 * @param maxFrameSize the largest frame to accept
 */
public record TransportConfig(Duration connectTimeout, Duration pingInterval, Duration idleTimeout, int maxFrameSize) {
    public TransportConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }
}
