package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.List;
import java.util.function.Supplier;

/**
 * One way to reach the backend: directly or through a tunnel.
 *
 * @param name the setup's name ({@link Setups})
 * @param httpPort the loopback port HTTP requests go to
 * @param pathPrefix what goes before the backend's path ({@code /t/bench/http} through our ingress)
 * @param bulkPort the loopback port that leads to the bulk service
 * @param serverPids the server end's processes (sshd and its children, or our server), none for direct
 * @param clientPids the client end's processes (the setup's ssh, or our client), none for direct
 */
record Target(String name, int httpPort, String pathPrefix, int bulkPort, Supplier<List<Long>> serverPids,
        Supplier<List<Long>> clientPids) {
    String url(String path) {
        return "http://127.0.0.1:" + httpPort + pathPrefix + path;
    }

    boolean isTunnel() {
        return !name.equals(Setups.DIRECT);
    }
}
