package online.cloudtolocalllm.tunnel.core;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.jspecify.annotations.Nullable;

/**
 * Verifies the server's host key by the client's {@link HostKeyPolicy}, and keeps the reason of the last refusal
 * so the client can say exactly what was expected and what was found. Keys the server proved it holds are added to
 * the trust: to this client's pins, or to the known_hosts file (only ever appended to).
 */
final class HostKeyCheck implements ServerKeyVerifier {
    /** Set on a session whose host key this check accepted. */
    private static final AttributeKey<PublicKey> TRUSTED = new AttributeKey<>();

    private final HostKeyPolicy policy;
    private final Set<String> learnedPins = ConcurrentHashMap.newKeySet();
    private final AtomicReference<@Nullable String> lastRefusal = new AtomicReference<>();

    HostKeyCheck(HostKeyPolicy policy) {
        this.policy = policy;
    }

    /** Why the last key was refused, if it was. */
    @Nullable String takeRefusal() {
        return lastRefusal.getAndSet(null);
    }

    /** Whether {@code session}'s own host key passed this check, which it must to teach new keys. */
    static boolean verified(ClientSession session) {
        return session.getAttribute(TRUSTED) != null;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        // a pin names the key itself, also when the server presents it with a certificate
        String actual = KeyFiles.fingerprint(serverKey instanceof OpenSshCertificate certificate
                ? certificate.getCertPubKey() : serverKey);
        String host = describe(session.getConnectAddress());
        boolean ok = switch (policy) {
            case HostKeyPolicy.Pinned pinned -> {
                boolean pinnedKey = pins(pinned).contains(actual);
                if (!pinnedKey) {
                    lastRefusal.set("Host key of " + host + " is " + actual + ", expected " + String.join(" or ", pins(pinned)));
                }
                yield pinnedKey;
            }
            case HostKeyPolicy.KnownHosts known -> knownHosts(known.file(), false, session, serverKey, actual, host);
            case HostKeyPolicy.TrustOnFirstUse tofu -> knownHosts(tofu.file(), true, session, serverKey, actual, host);
        };
        if (ok) {
            session.setAttribute(TRUSTED, serverKey);
        }
        return ok;
    }

    /** Whether {@code key} is already trusted for the server of {@code session}. */
    boolean trusts(ClientSession session, PublicKey key) {
        return switch (policy) {
            case HostKeyPolicy.Pinned pinned -> pins(pinned).contains(KeyFiles.fingerprint(key));
            case HostKeyPolicy.KnownHosts known -> KnownHostsFile.lists(known.file(), session.getConnectAddress(), key);
            case HostKeyPolicy.TrustOnFirstUse tofu -> KnownHostsFile.lists(tofu.file(), session.getConnectAddress(), key);
        };
    }

    /** Trusts {@code key} from now on for the server of {@code session}; says where it was recorded. */
    String learn(ClientSession session, PublicKey key) {
        return switch (policy) {
            case HostKeyPolicy.Pinned pinned -> {
                learnedPins.add(KeyFiles.fingerprint(key));
                yield "pinned for this client";
            }
            case HostKeyPolicy.KnownHosts known -> KnownHostsFile.add(known.file(), session.getConnectAddress(), key);
            case HostKeyPolicy.TrustOnFirstUse tofu -> KnownHostsFile.add(tofu.file(), session.getConnectAddress(), key);
        };
    }

    /** The configured pins, then the learned ones. */
    private List<String> pins(HostKeyPolicy.Pinned pinned) {
        List<String> all = new ArrayList<>(pinned.fingerprints());
        learnedPins.stream().filter(pin -> !all.contains(pin)).sorted().forEach(all::add);
        return all;
    }

    /**
     * Checks {@code presented} against the known_hosts {@code file}. A certificate (sshd has checked its CA signature,
     * validity and host name) passes if a {@code @cert-authority} line for this host names its CA; otherwise the key
     * it certifies must be known itself, as OpenSSH does. {@code @revoked} keys and CAs never pass.
     */
    private boolean knownHosts(Path file, boolean trustNew, ClientSession session, PublicKey presented, String actual,
            String host) {
        PublicKey key = presented;
        if (presented instanceof OpenSshCertificate certificate) {
            String ca = KeyFiles.fingerprint(certificate.getCaPubKey());
            if (KnownHostsFile.revokes(file, session.getConnectAddress(), certificate.getCaPubKey())) {
                lastRefusal.set("Host key of " + host + " is certified by CA " + ca + ", which " + file + " marks @revoked");
                return false;
            }
            if (KnownHostsFile.trustsAuthority(file, session.getConnectAddress(), certificate.getCaPubKey())
                    && !KnownHostsFile.revokes(file, session.getConnectAddress(), certificate.getCertPubKey())) {
                return true;
            }
            key = certificate.getCertPubKey();
        }
        ServerKeyVerifier unknown = trustNew ? AcceptAllServerKeyVerifier.INSTANCE : (s, a, k) -> {
            lastRefusal.set(presented instanceof OpenSshCertificate certificate
                    ? "Host key of " + host + " (" + actual + ", certificate '" + certificate.getId() + "' of CA "
                            + KeyFiles.fingerprint(certificate.getCaPubKey()) + ") is not in " + file
                            + " and no @cert-authority line there names that CA"
                    : "Host key of " + host + " (" + actual + ") is not in " + file
                            + "; pin it with its fingerprint or trust it on first use");
            return false;
        };
        KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier(unknown, file);
        verifier.setModifiedServerKeyAcceptor((s, address, entry, expected, given) -> {
            lastRefusal.set("Host key of " + host + " CHANGED: " + file + " has " + KeyFiles.fingerprint(expected)
                    + ", the server presented " + actual + "; refusing (possible man-in-the-middle)");
            return false;
        });
        if (trustNew && !Files.exists(file)) {
            createEmpty(file);
        }
        boolean accepted = verifier.verifyServerKey(session, session.getConnectAddress(), key);
        if (!accepted) {
            lastRefusal.compareAndSet(null, "Host key of " + host + " (" + actual + ") is not accepted by " + file);
        }
        return accepted;
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
