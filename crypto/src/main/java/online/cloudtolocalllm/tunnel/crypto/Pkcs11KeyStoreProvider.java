package online.cloudtolocalllm.tunnel.crypto;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.KeyStoreProvider;
import online.cloudtolocalllm.tunnel.spi.SshKey;

/**
 * Keys in a PKCS#11 token (an HSM, a smart card, SoftHSM2) through the JDK's SunPKCS11 provider, named by a
 * {@code pkcs11:} URI. The private key never leaves the token: signatures run in it. SunPKCS11's key store shows a
 * private key only together with a certificate (which carries the public key), as {@code keytool -genkeypair}
 * creates it.
 */
public final class Pkcs11KeyStoreProvider implements KeyStoreProvider {
    private static final String SUN_PKCS11 = "SunPKCS11";

    @Override
    public String id() {
        return "pkcs11";
    }

    @Override
    public boolean isAvailable() {
        return Security.getProvider(SUN_PKCS11) != null;
    }

    @Override
    public boolean supports(URI location) {
        return "pkcs11".equalsIgnoreCase(location.getScheme());
    }

    @Override
    public SshKey create(URI location) {
        Pkcs11Uri uri = Pkcs11Uri.parse(location);
        if (!Files.isReadable(uri.modulePath())) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "PKCS#11 library " + uri.modulePath() + " not found");
        }
        Provider provider = provider(uri);
        try {
            KeyStore token = KeyStore.getInstance("PKCS11", provider);
            token.load(null, uri.pin());
            Key key = token.getKey(uri.object(), null);
            Certificate certificate = token.getCertificate(uri.object());
            if (!(key instanceof PrivateKey privateKey) || certificate == null) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "No private key with a certificate at "
                        + uri.describe() + "; the token holds " + java.util.Collections.list(token.aliases()));
            }
            return new SshKey(new KeyPair(certificate.getPublicKey(), privateKey), provider, uri.describe());
        } catch (IOException | GeneralSecurityException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot open " + uri.describe() + ": " + e.getMessage(), e);
        }
    }

    private static Provider provider(Pkcs11Uri uri) {
        String config = "--name = tunnel-" + Long.toHexString(System.nanoTime()) + "\nlibrary = " + uri.modulePath() + "\n"
                + (uri.slotId() == null ? "slotListIndex = 0\n" : "slot = " + uri.slotId() + "\n");
        try {
            return Security.getProvider(SUN_PKCS11).configure(config);
        } catch (RuntimeException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot load the PKCS#11 token of " + uri.describe()
                    + ": " + e.getMessage(), e);
        }
    }
}
