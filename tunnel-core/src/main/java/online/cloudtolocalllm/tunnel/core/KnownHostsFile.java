package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.Objects;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * Looks keys up in an OpenSSH known_hosts file (host keys, {@code @cert-authority} and {@code @revoked} lines) and
 * appends new host keys; never rewrites a line.
 */
final class KnownHostsFile {
    private static final int SSH_PORT = 22;
    private static final String CERT_AUTHORITY = "cert-authority";
    private static final String REVOKED = "revoked";

    private KnownHostsFile() {
    }

    /** Whether {@code file} lists {@code key} as a host key (no marker) for the host and port of {@code server}. */
    static boolean lists(Path file, SocketAddress server, PublicKey key) {
        return has(file, server, null, key);
    }

    /** Whether {@code file} names {@code ca} as a {@code @cert-authority} for the host and port of {@code server}. */
    static boolean trustsAuthority(Path file, SocketAddress server, PublicKey ca) {
        return has(file, server, CERT_AUTHORITY, ca);
    }

    /** Whether {@code file} marks {@code key} {@code @revoked} for the host and port of {@code server}. */
    static boolean revokes(Path file, SocketAddress server, PublicKey key) {
        return has(file, server, REVOKED, key);
    }

    private static boolean has(Path file, SocketAddress server, @Nullable String marker, PublicKey key) {
        if (!Files.exists(file)) {
            return false;
        }
        SshdSocketAddress target = SshdSocketAddress.toSshdSocketAddress(server);
        try {
            for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(file)) {
                if (entry.getKeyEntry() != null && Objects.equals(entry.getMarker(), marker) && matchesHost(entry, target)
                        && KeyUtils.compareKeys(key, entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING))) {
                    return true;
                }
            }
            return false;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code entry}'s host patterns match {@code target} as OpenSSH matches them: a pattern without a port
     * ({@code *.example.com}) is matched against {@code [host]:port} for another port than 22, so {@code *} matches
     * every port; {@code [host]:port} matches that port.
     */
    private static boolean matchesHost(KnownHostEntry entry, SshdSocketAddress target) {
        return entry.isHostMatch(target.getHostName(), target.getPort()) || target.getPort() != SSH_PORT
                && entry.isHostMatch("[" + target.getHostName() + "]:" + target.getPort(), SSH_PORT);
    }

    /** Appends {@code key} for {@code server} unless it is listed already; says what it did. */
    static synchronized String add(Path file, SocketAddress server, PublicKey key) {
        if (lists(file, server, key)) {
            return "already in " + file;
        }
        SshdSocketAddress target = SshdSocketAddress.toSshdSocketAddress(server);
        String host = target.getPort() == SSH_PORT ? target.getHostName() : "[" + target.getHostName() + "]:" + target.getPort();
        try {
            String before = Files.exists(file) ? Files.readString(file) : "";
            String separator = before.isEmpty() || before.endsWith("\n") ? "" : "\n";
            Files.writeString(file, separator + host + " " + PublicKeyEntry.toString(key) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot add a host key to " + file + ": " + e.getMessage(), e);
        }
        return "added to " + file;
    }
}
