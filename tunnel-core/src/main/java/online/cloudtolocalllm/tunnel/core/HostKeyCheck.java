package online.cloudtolocalllm.tunnel.core;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicReference;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.jspecify.annotations.Nullable;

/**
 * Verifies the server's host key by the client's {@link HostKeyPolicy}, and keeps the reason of the last refusal
 * so the client can say exactly what was expected and what was found.
 */
final class HostKeyCheck implements ServerKeyVerifier {
    private final HostKeyPolicy policy;
    private final AtomicReference<@Nullable String> lastRefusal = new AtomicReference<>();

    HostKeyCheck(HostKeyPolicy policy) {
        this.policy = policy;
    }

    /** Why the last key was refused, if it was. */
    @Nullable String takeRefusal() {
        return lastRefusal.getAndSet(null);
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        String actual = KeyFiles.fingerprint(serverKey);
        String host = describe(session.getConnectAddress());
        return switch (policy) {
            case HostKeyPolicy.Pinned pinned -> {
                boolean ok = pinned.fingerprints().contains(actual);
                if (!ok) {
                    lastRefusal.set("Host key of " + host + " is " + actual + ", expected " + String.join(" or ", pinned.fingerprints()));
                }
                yield ok;
            }
            case HostKeyPolicy.KnownHosts known -> knownHosts(known.file(), false, session, serverKey, actual, host);
            case HostKeyPolicy.TrustOnFirstUse tofu -> knownHosts(tofu.file(), true, session, serverKey, actual, host);
        };
    }

    private boolean knownHosts(Path file, boolean trustNew, ClientSession session, PublicKey key, String actual, String host) {
        ServerKeyVerifier unknown = trustNew ? AcceptAllServerKeyVerifier.INSTANCE : (s, a, k) -> {
            lastRefusal.set("Host key of " + host + " (" + actual + ") is not in " + file
                    + "; pin it with its fingerprint or trust it on first use");
            return false;
        };
        KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier(unknown, file);
        verifier.setModifiedServerKeyAcceptor((s, address, entry, expected, presented) -> {
            lastRefusal.set("Host key of " + host + " CHANGED: " + file + " has " + KeyFiles.fingerprint(expected)
                    + ", the server presented " + actual + "; refusing (possible man-in-the-middle)");
            return false;
        });
        if (trustNew && !Files.exists(file)) {
            createEmpty(file);
        }
        return verifier.verifyServerKey(session, session.getConnectAddress(), key);
    }

    private static void createEmpty(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file);
        } catch (java.io.IOException ignored) {
            // the verifier reports a file it cannot use
        }
    }

    private static String describe(@Nullable SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort() : String.valueOf(address);
    }
}
