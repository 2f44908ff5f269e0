package online.cloudtolocalllm.tunnel.spi;

import java.time.Duration;
import java.util.Objects;
import online.cloudtolocalllm.tunnel.api.TlsTrust;

/**
 * What a client transport is created with.
 *
 * @param connectTimeout the limit for establishing a connection
 * @param pingInterval how often to ping when quiet
 * @param idleTimeout how long without any received data before the connection is declared dead and closed
 * @param maxFrameSize the largest frame to accept
 * @param tlsTrust how a {@code wss://} server's certificate is verified
 */
public record TransportConfig(Duration connectTimeout, Duration pingInterval, Duration idleTimeout, int maxFrameSize,
        TlsTrust tlsTrust) {
    public TransportConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(tlsTrust, "tlsTrust");
    }

    /** A configuration that verifies {@code wss://} servers against the JDK's trust store. */
    public TransportConfig(Duration connectTimeout, Duration pingInterval, Duration idleTimeout, int maxFrameSize) {
        this(connectTimeout, pingInterval, idleTimeout, maxFrameSize, TlsTrust.system());
    }
}
