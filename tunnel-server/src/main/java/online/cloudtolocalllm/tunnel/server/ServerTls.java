package online.cloudtolocalllm.tunnel.server;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Security;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TlsSettings;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/** The TLS context of the server's port: the JDK's engine, the configured certificate, protocols and suites, ALPN http/1.1. */
final class ServerTls {
    private ServerTls() {
    }

    /** The context for {@code settings}; a certificate, key or suite that cannot be used fails with what was wrong. */
    static SslContext context(TlsSettings settings) {
        try {
            SslContextBuilder builder = settings.keyStore().isPresent() ? fromKeyStore(settings) : fromPem(settings);
            builder.sslProvider(SslProvider.JDK)
                    .protocols(settings.protocols())
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1));
            if (!settings.cipherSuites().isEmpty()) {
                builder.ciphers(supported(settings.cipherSuites()));
            }
            return builder.build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot set up TLS with " + settings + ": " + e.getMessage(), e);
        }
    }

    private static SslContextBuilder fromPem(TlsSettings settings) throws IOException {
        try (InputStream chain = Files.newInputStream(settings.certificateChain().orElseThrow());
                InputStream key = Files.newInputStream(settings.privateKey().orElseThrow())) {
            return SslContextBuilder.forServer(chain, key);
        }
    }

    /**
     * The key store's key entries, or only the configured one. A store's provider that is not installed (a SunPKCS11
     * instance configured for one token, say) is installed: the JDK's TLS looks for a provider that can sign with the
     * key among the installed ones, and only the token's own provider can use a key that never leaves the token.
     */
    private static SslContextBuilder fromKeyStore(TlsSettings settings) throws GeneralSecurityException {
        KeyStore store = settings.keyStore().orElseThrow();
        if (Security.getProvider(store.getProvider().getName()) == null) {
            Security.addProvider(store.getProvider());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, settings.keyStorePassword());
        if (settings.keyAlias().isEmpty()) {
            return SslContextBuilder.forServer(factory);
        }
        X509ExtendedKeyManager keys = (X509ExtendedKeyManager) factory.getKeyManagers()[0];
        return SslContextBuilder.forServer(new AliasKeyManager(keys, settings.keyAlias().get()));
    }

    private static List<String> supported(List<String> suites) throws GeneralSecurityException {
        Set<String> known = Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        List<String> unknown = suites.stream().filter(suite -> !known.contains(suite)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("this JDK does not support the cipher suites " + unknown);
        }
        return suites;
    }
}
