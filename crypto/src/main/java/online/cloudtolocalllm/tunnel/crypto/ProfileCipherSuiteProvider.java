package online.cloudtolocalllm.tunnel.crypto;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.CipherSuite;
import online.cloudtolocalllm.tunnel.spi.CipherSuiteProvider;

/**
 * The {@code modern} and {@code compatible} profiles on Bouncy Castle ({@code bcprov}); algorithm lists in the
 * options replace the profile's after a check that the engine supports each name.
 */
public final class ProfileCipherSuiteProvider implements CipherSuiteProvider {
    private static final Set<String> PROFILES = Arrays.stream(CryptoProfile.values()).map(CryptoProfile::id)
            .collect(Collectors.toUnmodifiableSet());

    @Override
    public String id() {
        return "bc";
    }

    @Override
    public Set<String> profiles() {
        return PROFILES;
    }

    @Override
    public CipherSuite create(CryptoOptions options) {
        String name = options.profile().orElse(DEFAULT_PROFILE);
        CryptoProfile profile = Arrays.stream(CryptoProfile.values()).filter(p -> p.id().equals(name)).findFirst()
                .orElseThrow(() -> new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Unknown crypto profile '" + name
                        + "'; known: " + String.join(", ", PROFILES.stream().sorted().toList())));
        boolean custom = !options.kex().isEmpty() || !options.ciphers().isEmpty() || !options.macs().isEmpty();
        return new CipherSuite(custom ? name + "+custom" : name,
                SupportedAlgorithms.KEX.check(or(options.kex(), profile.kex)),
                SupportedAlgorithms.CIPHERS.check(or(options.ciphers(), profile.ciphers)),
                SupportedAlgorithms.MACS.check(or(options.macs(), profile.macs)),
                SupportedAlgorithms.SIGNATURES.check(profile.signatures));
    }

    private static List<String> or(List<String> given, List<String> profile) {
        return given.isEmpty() ? profile : given;
    }
}
