package online.cloudtolocalllm.tunnel.core;

import java.util.Set;

/**
 * How a {@code tcpip-forward} request names a service. A name in the address ({@code ssh -R llm:80:...}) is the
 * service name; an empty, wildcard or loopback address (the Phase 1 client, OpenSSH's plain {@code -R 11434:...})
 * makes the port number the name.
 */
final class ServiceNames {
    private static final Set<String> PORT_NAMED = Set.of("", "*", "0.0.0.0", "::", "localhost", "127.0.0.1", "::1");

    private ServiceNames() {
    }

    static String fromForwardRequest(String address, int port) {
        return PORT_NAMED.contains(address) ? Integer.toString(port) : address;
    }
}
