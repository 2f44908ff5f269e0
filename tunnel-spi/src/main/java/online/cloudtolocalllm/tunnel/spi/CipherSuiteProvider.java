package online.cloudtolocalllm.tunnel.spi;

import java.util.Set;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;

/**
 * Makes the {@link CipherSuite} an endpoint offers from its {@link CryptoOptions}: the named profile, with any
 * algorithm lists the options give in place of the profile's. {@link #create} refuses names the SSH engine does
 * not support, saying which.
 */
public interface CipherSuiteProvider extends TunnelProvider<CryptoOptions, CipherSuite> {

    /**
     * The profile of the {@code crypto} artifact used when the options name none; a provider without it (crypto-fips)
     * uses its own.
     */
    String DEFAULT_PROFILE = "modern";

    /** The profiles this provider knows, such as {@code modern} and {@code compatible}. */
    Set<String> profiles();
}
