package online.cloudtolocalllm.tunnel.core;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import online.cloudtolocalllm.tunnel.api.Components;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.CipherSuite;
import online.cloudtolocalllm.tunnel.spi.CipherSuiteProvider;
import online.cloudtolocalllm.tunnel.spi.KeyStoreProvider;
import online.cloudtolocalllm.tunnel.spi.Providers;
import online.cloudtolocalllm.tunnel.spi.SshKey;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.OptionalFeature;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.helpers.AbstractFactoryManager;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.core.CoreModuleProperties;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint's crypto: the cipher suite a {@link CipherSuiteProvider} made from its options (absent when no
 * provider is on the path and the options ask for nothing but the defaults: the engine's built-in lists then
 * apply), its key in a token if it has one, and its rekey limits.
 */
record EndpointCrypto(Optional<CipherSuite> suite, Optional<SshKey> key, CryptoOptions options) {
    static final String ARTIFACT = "online.cloudtolocalllm.tunnel:crypto";
    /** The profile that lives in its own artifact, on Bouncy Castle FIPS instead of bcprov. */
    static final String FIPS_PROFILE = "fips";
    static final String FIPS_ARTIFACT = "online.cloudtolocalllm.tunnel:crypto-fips in place of " + ARTIFACT
            + " (and org.bouncycastle:bc-fips in place of bcprov-jdk18on)";

    /**
     * Like {@link #resolve(CryptoOptions, Components)}, telling {@code events} ({@link TunnelEvent.Type#CRYPTO_REFUSED})
     * before the refusal propagates, so the audit sees a FIPS refusal like any crypto event.
     */
    static EndpointCrypto resolve(CryptoOptions options, Components components, EventPublisher events, String endpoint) {
        try {
            return resolve(options, components);
        } catch (TunnelException e) {
            events.publish(TunnelEvent.Type.CRYPTO_REFUSED, endpoint, null, null, e.getMessage(), e, 0, null);
            throw e;
        }
    }

    /** Resolves {@code options} through the providers given in {@code components} or found on the path. */
    static EndpointCrypto resolve(CryptoOptions options, Components components) {
        return new EndpointCrypto(suite(options, components), options.key().map(uri -> key(uri, components)), options);
    }

    /**
     * The suite of the named profile; without a name, the default of the provider on the path ({@code modern} with
     * the crypto artifact, {@code fips} with crypto-fips).
     */
    private static Optional<CipherSuite> suite(CryptoOptions options, Components components) {
        Optional<String> profile = options.profile();
        String artifact = profile.filter(FIPS_PROFILE::equals).isPresent() ? FIPS_ARTIFACT : ARTIFACT;
        if (components.get(CipherSuiteProvider.class).isEmpty() && Providers.discover(CipherSuiteProvider.class).isEmpty()) {
            if (options.choosesAlgorithms()) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR,
                        "Choosing SSH algorithms (" + options + ") needs a cipher-suite provider: add the artifact " + artifact);
            }
            return Optional.empty();
        }
        if (components.get(CipherSuiteProvider.class).isEmpty() && profile.isPresent()) {
            List<String> known = Providers.discover(CipherSuiteProvider.class).stream().filter(CipherSuiteProvider::isAvailable)
                    .flatMap(p -> p.profiles().stream()).distinct().sorted().toList();
            if (!known.contains(profile.get())) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Unknown crypto profile '" + profile.get() + "'; known: "
                        + String.join(", ", known) + (artifact.equals(FIPS_ARTIFACT) ? "; the fips profile needs the artifact "
                        + FIPS_ARTIFACT : ""));
            }
        }
        CipherSuiteProvider provider = Providers.select(CipherSuiteProvider.class, components, null,
                p -> profile.isEmpty() || p.profiles().contains(profile.get()),
                artifact + profile.map(name -> " (for the crypto profile '" + name + "')").orElse(""));
        return Optional.of(provider.create(options));
    }

    private static SshKey key(URI location, Components components) {
        return Providers.select(KeyStoreProvider.class, components, null, p -> p.supports(location),
                ARTIFACT + " (for " + location.getScheme() + ": keys)").create(location);
    }

    /** Installs the algorithms, the rekey limits and the token-key signatures on {@code manager}. */
    void apply(AbstractFactoryManager manager, Function<DHFactory, KeyExchangeFactory> kexFactory) {
        SshDefaults.apply(manager, kexFactory);
        suite.ifPresent(s -> {
            manager.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(true,
                    resolve(s.kex(), BuiltinDHFactories::fromFactoryName, "key exchange"), kexFactory));
            manager.setCipherFactories(resolve(s.ciphers(), BuiltinCiphers::fromFactoryName, "cipher")
                    .stream().<NamedFactory<Cipher>>map(c -> c).toList());
            manager.setMacFactories(resolve(s.macs(), BuiltinMacs::fromFactoryName, "MAC")
                    .stream().<NamedFactory<Mac>>map(m -> m).toList());
            manager.setSignatureFactories(resolve(s.signatures(), BuiltinSignatures::fromFactoryName, "signature")
                    .stream().<NamedFactory<Signature>>map(sig -> sig).toList());
        });
        key.ifPresent(k -> manager.setSignatureFactories(TokenSignatures.route(manager.getSignatureFactories(), k)));
        manager.setCipherFactories(OutOfPlaceGcmCipher.substitute(manager.getCipherFactories()));
        CoreModuleProperties.REKEY_BYTES_LIMIT.set(manager, options.rekeyBytes());
        CoreModuleProperties.REKEY_TIME_LIMIT.set(manager, options.rekeyInterval());
    }

    private static <T extends OptionalFeature> List<T> resolve(List<String> names, Function<String, @Nullable T> lookup,
            String what) {
        return names.stream().map(name -> {
            T found = lookup.apply(name);
            if (found == null || !found.isSupported()) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "The SSH engine " + (found == null ? "has no " : "cannot run the ")
                        + what + " '" + name + "' here");
            }
            return found;
        }).toList();
    }
}
