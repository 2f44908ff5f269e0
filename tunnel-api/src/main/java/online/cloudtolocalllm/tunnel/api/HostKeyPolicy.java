package online.cloudtolocalllm.tunnel.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** How a client decides to trust the server's SSH host key. */
public sealed interface HostKeyPolicy {

    /** Trust only keys with one of these fingerprints ({@code SHA256:...}). */
    record Pinned(List<String> fingerprints) implements HostKeyPolicy {
        public Pinned {
            fingerprints = List.copyOf(fingerprints);
            if (fingerprints.isEmpty()) {
                throw new IllegalArgumentException("At least one pinned fingerprint is required");
            }
            for (String fingerprint : fingerprints) {
                if (!fingerprint.startsWith("SHA256:") || fingerprint.length() < 20) {
                    throw new IllegalArgumentException("Expected a fingerprint like SHA256:base64, got '" + fingerprint + "'");
                }
            }
        }
    }

    /** Trust keys listed in an OpenSSH known_hosts file; refuse unknown ones. */
    record KnownHosts(Path file) implements HostKeyPolicy {
        public KnownHosts {
            Objects.requireNonNull(file, "file");
        }
    }

    /** Like {@link KnownHosts}, but record an unknown server's key on first use; a changed key is still refused. */
    record TrustOnFirstUse(Path file) implements HostKeyPolicy {
        public TrustOnFirstUse {
            Objects.requireNonNull(file, "file");
        }
    }

    static HostKeyPolicy pinned(String... fingerprints) {
        return new Pinned(List.of(fingerprints));
    }

    static HostKeyPolicy knownHosts(Path file) {
        return new KnownHosts(file);
    }

    static HostKeyPolicy trustOnFirstUse(Path file) {
        return new TrustOnFirstUse(file);
    }
}
