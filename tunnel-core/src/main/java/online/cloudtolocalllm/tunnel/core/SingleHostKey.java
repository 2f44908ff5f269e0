package online.cloudtolocalllm.tunnel.core;

import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.SessionContext;
import org.jspecify.annotations.Nullable;

/**
 * The server's one host key, typed by its public half: sshd's own wrapper types a key by its private half, which
 * says nothing for a handle to a key inside a token.
 */
final class SingleHostKey implements KeyPairProvider {
    private final KeyPair key;
    private final String type;

    SingleHostKey(KeyPair key) {
        this.key = key;
        this.type = KeyUtils.getKeyType(key.getPublic());
    }

    @Override
    public Iterable<KeyPair> loadKeys(SessionContext session) {
        return List.of(key);
    }

    @Override
    public Iterable<String> getKeyTypes(SessionContext session) {
        return List.of(type);
    }

    @Override
    public @Nullable KeyPair loadKey(SessionContext session, String keyType) {
        return type.equals(keyType) ? key : null;
    }
}
