package online.cloudtolocalllm.tunnel.crypto.fips;

import java.security.Security;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;

/**
 * Puts this JVM's SSH engine on Bouncy Castle FIPS: registers {@code BCFIPS} as the first security provider (so
 * random numbers come from its DRBG too) and switches Apache MINA SSHD into its FIPS mode, in which it takes every
 * primitive from that provider and drops the algorithms FIPS 140 does not approve.
 */
final class FipsMode {
    static final String PROVIDER = "BCFIPS";
    /** bc-fips's switch for approved-only mode in every thread, read when the module first loads. */
    static final String APPROVED_ONLY = "org.bouncycastle.fips.approved_only";

    private FipsMode() {
    }

    /** Enables FIPS mode once per JVM; an error if the SSH engine already runs outside it here. */
    static synchronized void enable() {
        if (System.getProperty(APPROVED_ONLY) == null) {
            System.setProperty(APPROVED_ONLY, "true");
        }
        if (!CryptoServicesRegistrar.isInApprovedOnlyMode()) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "The fips crypto profile needs Bouncy Castle FIPS in "
                    + "approved-only mode, but it runs without (-D" + APPROVED_ONLY + "=" + System.getProperty(APPROVED_ONLY)
                    + ", or bc-fips was in use before the profile was chosen)");
        }
        if (Security.getProvider(PROVIDER) == null) {
            Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
        }
        try {
            SecurityUtils.setFipsMode();
        } catch (IllegalStateException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "The fips crypto profile cannot start: the SSH engine "
                    + "already runs outside FIPS mode in this JVM (choose the fips profile before any other endpoint starts, "
                    + "or set -D" + SecurityUtils.FIPS_ENABLED + "=true)", e);
        }
    }
}
