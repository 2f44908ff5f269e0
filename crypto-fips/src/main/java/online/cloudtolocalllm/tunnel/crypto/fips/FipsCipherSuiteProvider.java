package online.cloudtolocalllm.tunnel.crypto.fips;

import java.util.List;
import java.util.Set;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.CipherSuite;
import online.cloudtolocalllm.tunnel.spi.CipherSuiteProvider;

/**
 * The {@code fips} profile on Bouncy Castle FIPS: only FIPS-approved algorithms, with algorithm lists in the options
 * replacing the profile's after a check that each name is approved. Creating a suite puts the SSH engine into FIPS
 * mode ({@link FipsMode}).
 */
public final class FipsCipherSuiteProvider implements CipherSuiteProvider {
    /** The one profile this provider offers, also its default. */
    public static final String PROFILE = "fips";

    @Override
    public String id() {
        return "bc-fips";
    }

    @Override
    public Set<String> profiles() {
        return Set.of(PROFILE);
    }

    @Override
    public CipherSuite create(CryptoOptions options) {
        String name = options.profile().orElse(PROFILE);
        if (!name.equals(PROFILE)) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "The crypto-fips artifact offers only the fips profile, not '"
                    + name + "'");
        }
        CipherSuite suite = new CipherSuite(options.kex().isEmpty() && options.ciphers().isEmpty() && options.macs().isEmpty()
                ? PROFILE : PROFILE + "+custom",
                FipsAlgorithms.KEX.check(or(options.kex(), FipsAlgorithms.KEX.approved())),
                FipsAlgorithms.CIPHERS.check(or(options.ciphers(), FipsAlgorithms.CIPHERS.approved())),
                FipsAlgorithms.MACS.check(or(options.macs(), FipsAlgorithms.MACS.approved())),
                FipsAlgorithms.SIGNATURES.approved());
        FipsMode.enable();
        return suite;
    }

    private static List<String> or(List<String> given, List<String> profile) {
        return given.isEmpty() ? profile : given;
    }
}
