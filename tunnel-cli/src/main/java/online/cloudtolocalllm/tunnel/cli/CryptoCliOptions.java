package online.cloudtolocalllm.tunnel.cli;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.api.CryptoOptions;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The SSH crypto options the server and client commands share: profile, algorithm lists, rekey limits, a token key. */
final class CryptoCliOptions {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([kmg]?)");

    @Option(names = "--crypto-profile", paramLabel = "PROFILE", order = 50,
            description = "SSH cipher-suite profile: modern (default: post-quantum key exchange first, AES-GCM, "
                    + "Ed25519/ECDSA keys), compatible (adds NIST ECDH, DH group exchange, AES-CTR with ETM MACs, RSA-SHA2) "
                    + "or fips (FIPS-approved only; needs the crypto-fips artifact in place of crypto, so not this CLI).")
    @Nullable String profile;

    @Option(names = "--kex", paramLabel = "ALGS", split = ",", order = 51,
            description = "Key exchange algorithms to offer, in order, replacing the profile's (e.g. curve25519-sha256).")
    List<String> kex = List.of();

    @Option(names = "--ciphers", paramLabel = "ALGS", split = ",", order = 52,
            description = "Ciphers to offer, in order, replacing the profile's (e.g. aes256-gcm@openssh.com).")
    List<String> ciphers = List.of();

    @Option(names = "--macs", paramLabel = "ALGS", split = ",", order = 53,
            description = "MACs to offer, in order, replacing the profile's (used with AES-CTR only).")
    List<String> macs = List.of();

    @Option(names = "--rekey-bytes", paramLabel = "SIZE", defaultValue = "1g", order = 54,
            description = "Exchange new keys after this much data either way: bytes or with k, m, g. Default: ${DEFAULT-VALUE}.")
    String rekeyBytes;

    @Option(names = "--rekey-interval", paramLabel = "DURATION", defaultValue = "1h", order = 55,
            description = "Exchange new keys after this long. Default: ${DEFAULT-VALUE}.")
    Duration rekeyInterval;

    @Option(names = "--key", paramLabel = "PKCS11-URI", order = 56,
            description = "This endpoint's SSH key in a PKCS#11 token (server: its host key; client: its login key), like "
                    + "pkcs11:slot-id=N;object=LABEL?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/run/pin.")
    @Nullable String key;

    CryptoOptions options() {
        CryptoOptions.Builder builder = CryptoOptions.builder().rekey(bytes(rekeyBytes), rekeyInterval);
        if (profile != null) {
            builder.profile(profile);
        }
        if (!kex.isEmpty()) {
            builder.kex(kex);
        }
        if (!ciphers.isEmpty()) {
            builder.ciphers(ciphers);
        }
        if (!macs.isEmpty()) {
            builder.macs(macs);
        }
        if (key != null) {
            builder.key(URI.create(key));
        }
        return builder.build();
    }

    private static long bytes(String size) {
        Matcher matcher = SIZE.matcher(size.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("--rekey-bytes '" + size + "' is not a size: write a number, optionally with k, m or g");
        }
        int shift = switch (matcher.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        return Long.parseLong(matcher.group(1)) << shift;
    }
}
