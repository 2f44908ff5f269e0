package online.cloudtolocalllm.tunnel.core;

import java.util.Map;
import java.util.Optional;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * The fields of a {@code forwarded-tcpip} open as the client reads them: the address and port the server names
 * (the service name, or the port for a Phase 1 style registration) and the originator.
 */
record ForwardedOpen(String connectedAddress, int connectedPort, String originHost, int originPort) {

    static ForwardedOpen read(Buffer buffer) {
        return new ForwardedOpen(buffer.getString(), buffer.getInt(), buffer.getString(), buffer.getInt());
    }

    /** The exposed service this open is for: by name, else by port. */
    Optional<ExposedService> target(Map<String, ExposedService> services) {
        return Optional.ofNullable(services.get(connectedAddress))
                .or(() -> Optional.ofNullable(services.get(Integer.toString(connectedPort))));
    }

    String refusal() {
        return "This client exposes no service '" + connectedAddress + "'";
    }
}
