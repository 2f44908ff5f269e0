package online.cloudtolocalllm.tunnel.core;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.SessionContext;
import org.jspecify.annotations.Nullable;

/**
 * The server's host keys: the current one, which sessions are offered, and an announced successor, which the server
 * can already prove it holds. Keys are typed by their public half: sshd's own wrapper types a key by its private
 * half, which says nothing for a handle to a key inside a token.
 */
final class HostKeyRing implements KeyPairProvider {
    private record Keys(KeyPair current, @Nullable KeyPair successor) {
    }

    private volatile Keys keys;

    HostKeyRing(KeyPair current, @Nullable KeyPair successor) {
        this.keys = new Keys(current, successor);
    }

    /** The key sessions are offered. */
    KeyPair current() {
        return keys.current();
    }

    /** The announced successor, if a rotation is under way. */
    Optional<KeyPair> successor() {
        return Optional.ofNullable(keys.successor());
    }

    /** Every key the server will accept: the current one and the announced successor. */
    List<PublicKey> announced() {
        Keys now = keys;
        return now.successor() == null ? List.of(now.current().getPublic())
                : List.of(now.current().getPublic(), now.successor().getPublic());
    }

    /** The pair whose public half is {@code key}, if this ring holds it. */
    Optional<KeyPair> held(PublicKey key) {
        Keys now = keys;
        for (KeyPair pair : now.successor() == null ? List.of(now.current()) : List.of(now.current(), now.successor())) {
            if (KeyUtils.compareKeys(pair.getPublic(), key)) {
                return Optional.of(pair);
            }
        }
        return Optional.empty();
    }

    synchronized void announce(KeyPair successor) {
        keys = new Keys(keys.current(), successor);
    }

    /** Makes the successor the current key; returns the retired one. */
    synchronized KeyPair promote() {
        Keys old = keys;
        if (old.successor() == null) {
            throw new IllegalStateException("No successor announced");
        }
        keys = new Keys(old.successor(), null);
        return old.current();
    }

    @Override
    public Iterable<KeyPair> loadKeys(SessionContext session) {
        return List.of(current());
    }

    @Override
    public Iterable<String> getKeyTypes(SessionContext session) {
        return List.of(KeyUtils.getKeyType(current().getPublic()));
    }

    @Override
    public @Nullable KeyPair loadKey(SessionContext session, String keyType) {
        KeyPair current = current();
        return KeyUtils.getKeyType(current.getPublic()).equals(keyType) ? current : null;
    }
}
