package online.cloudtolocalllm.tunnel.crypto;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.OptionalFeature;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.jspecify.annotations.Nullable;

/**
 * Checks algorithm names against what the SSH engine (Apache MINA SSHD with Bouncy Castle) runs here, refusing the
 * weak ones it still knows (SHA-1, MD5, CBC modes, 3DES, RC4, Blowfish, no encryption).
 */
enum SupportedAlgorithms {
    KEX("key exchange", BuiltinDHFactories::fromFactoryName, BuiltinDHFactories.VALUES),
    CIPHERS("cipher", BuiltinCiphers::fromFactoryName, BuiltinCiphers.VALUES),
    MACS("MAC", BuiltinMacs::fromFactoryName, BuiltinMacs.VALUES),
    SIGNATURES("signature", BuiltinSignatures::fromFactoryName, BuiltinSignatures.VALUES);

    private final String what;
    private final Function<String, ? extends @Nullable OptionalFeature> lookup;
    /**
     * What the engine runs here, strong ones only, for an error message. Probing every algorithm (each cipher, key
     * exchange and signature is tried) took a tenth of a client's start-up, so only a refusal pays for it.
     */
    private final Supplier<List<String>> supported;

    <T extends NamedResource & OptionalFeature> SupportedAlgorithms(String what, Function<String, @Nullable T> lookup,
            java.util.Collection<T> all) {
        this.what = what;
        this.lookup = lookup;
        this.supported = () -> all.stream().filter(OptionalFeature::isSupported).map(NamedResource::getName)
                .filter(name -> !Weak.NAMES.matcher(name).matches()).toList();
    }

    /** {@code names}, if the engine runs each of them; else an error naming the first it does not and what it does. */
    List<String> check(List<String> names) {
        for (String name : names) {
            if (Weak.NAMES.matcher(name).matches()) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Weak " + what + " '" + name
                        + "' refused: SHA-1, MD5, CBC, 3DES, RC4, Blowfish and 'none' are never offered");
            }
            OptionalFeature found = lookup.apply(name);
            if (found == null || !found.isSupported()) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Unsupported " + what + " '" + name
                        + "'; supported here: " + String.join(", ", supported.get()));
            }
        }
        return names;
    }

    /** Names of the weak algorithms (a holder: enum constructors cannot read the enum's own static fields). */
    private static final class Weak {
        static final Pattern NAMES = Pattern.compile(".*(sha1|md5|cbc|3des|arcfour|blowfish).*|none");
    }
}
