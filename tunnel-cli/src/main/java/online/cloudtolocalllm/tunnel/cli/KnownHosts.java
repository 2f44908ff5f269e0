package online.cloudtolocalllm.tunnel.cli;

import java.nio.file.Path;

/** Where the client keeps the server host keys it trusts unless told otherwise. */
final class KnownHosts {
    private KnownHosts() {
    }

    /** {@code ~/.config/cloudtolocalllm-tunnel/known_hosts}. */
    static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".config", "cloudtolocalllm-tunnel", "known_hosts");
    }
}
