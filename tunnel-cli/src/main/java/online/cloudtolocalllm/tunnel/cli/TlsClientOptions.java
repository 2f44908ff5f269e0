package online.cloudtolocalllm.tunnel.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** How {@code tunnel client} and {@code tunnel connect} verify a wss:// server: a CA file and public-key pins. */
final class TlsClientOptions {

    @Option(names = "--tls-ca", paramLabel = "FILE", order = 60,
            description = "Trust the CA (or self-signed server) certificates in this PEM file for wss:// instead of the "
                    + "JDK's trust store. The host name is checked either way.")
    @Nullable Path ca;

    @Option(names = "--tls-pin", paramLabel = "sha256/BASE64", split = ",", order = 61,
            description = "Also require this public key (SPKI SHA-256, as 'tunnel server' prints it) in the server's "
                    + "verified certificate chain. Repeatable: any one matches.")
    List<String> pins = new ArrayList<>();

    /** Sets the CA file and pins given on {@code builder}. */
    TunnelClientConfig.Builder apply(TunnelClientConfig.Builder builder) {
        if (ca != null) {
            builder.tlsTrust(ca);
        }
        return pins.isEmpty() ? builder : builder.tlsPins(pins.toArray(String[]::new));
    }
}
