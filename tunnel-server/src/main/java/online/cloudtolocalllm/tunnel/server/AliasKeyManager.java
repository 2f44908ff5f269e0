package online.cloudtolocalllm.tunnel.server;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * Presents one entry of a key store that holds several keys (a PKCS#11 token with an SSH host key beside the TLS
 * key, say), when the handshake can use its key type; the JDK's own key manager would take any entry that fits.
 */
final class AliasKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager keys;
    private final String alias;

    AliasKeyManager(X509ExtendedKeyManager keys, String alias) {
        this.keys = keys;
        this.alias = alias;
    }

    @Override
    public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers, SSLEngine engine) {
        return fits(keyType) ? alias : null;
    }

    @Override
    public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        return fits(keyType) ? alias : null;
    }

    /** Whether the entry's key can serve {@code keyType}: {@code EC}, {@code RSA}, or {@code RSASSA-PSS} for an RSA key. */
    private boolean fits(String keyType) {
        PrivateKey key = keys.getPrivateKey(alias);
        return key != null && (keyType.equals(key.getAlgorithm()) || keyType.startsWith("RSA") && key.getAlgorithm().equals("RSA"));
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
        return fits(keyType) ? new String[] {alias} : null;
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String requested) {
        return keys.getCertificateChain(requested);
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(String requested) {
        return keys.getPrivateKey(requested);
    }

    @Override
    public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
        return null; // a server's key manager: it never authenticates as a client
    }

    @Override
    public @Nullable String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        return null;
    }
}
