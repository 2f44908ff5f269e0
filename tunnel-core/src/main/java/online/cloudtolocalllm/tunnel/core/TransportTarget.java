package online.cloudtolocalllm.tunnel.core;

import java.net.URI;
import java.util.Map;
import org.apache.sshd.common.AttributeRepository.AttributeKey;

/**
 * Where {@link FrameIoConnector} dials, passed through sshd's connect context: sshd itself only knows a host and
 * port (for known_hosts), not the URI and headers the transport needs.
 */
record TransportTarget(URI uri, Map<String, String> headers) {
    static final AttributeKey<TransportTarget> KEY = new AttributeKey<>();

    TransportTarget {
        headers = Map.copyOf(headers);
    }
}
