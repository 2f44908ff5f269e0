package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/** Looks keys up in an OpenSSH known_hosts file and appends new ones; never rewrites a line. */
final class KnownHostsFile {
    private static final int SSH_PORT = 22;

    private KnownHostsFile() {
    }

    /** Whether {@code file} lists {@code key} for the host and port of {@code server}. */
    static boolean lists(Path file, SocketAddress server, PublicKey key) {
        if (!Files.exists(file)) {
            return false;
        }
        SshdSocketAddress target = SshdSocketAddress.toSshdSocketAddress(server);
        try {
            for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(file)) {
                if (entry.getKeyEntry() != null && entry.isHostMatch(target.getHostName(), target.getPort())
                        && KeyUtils.compareKeys(key, entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING))) {
                    return true;
                }
            }
            return false;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot read " + file + ": " + e.getMessage(), e);
        }
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
