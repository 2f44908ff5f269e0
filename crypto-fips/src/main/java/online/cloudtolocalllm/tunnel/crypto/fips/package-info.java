/**
 * The {@code fips} cipher-suite profile: {@link online.cloudtolocalllm.tunnel.crypto.fips.FipsCipherSuiteProvider}
 * offers only FIPS-approved SSH algorithms and runs them on the Bouncy Castle FIPS module ({@code bc-fips}), which
 * replaces {@code bcprov} on the path.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.crypto.fips;

import org.jspecify.annotations.NullMarked;
