package online.cloudtolocalllm.tunnel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import online.cloudtolocalllm.tunnel.api.TlsSettings;
import online.cloudtolocalllm.tunnel.api.TlsTrust;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code tunnel server}'s TLS options: the certificate and key files, protocols, suites, and refusing plaintext. */
final class TlsServerOptions {

    @Option(names = "--tls-cert", paramLabel = "FILE", order = 60,
            description = "PEM certificate chain (server certificate first): turns on TLS on the port, for wss:// and "
                    + "https:// (plaintext keeps working unless --require-tls). Needs --tls-key.")
    @Nullable Path certificate;

    @Option(names = "--tls-key", paramLabel = "FILE", order = 61,
            description = "PEM private key of --tls-cert, unencrypted PKCS#8 (BEGIN PRIVATE KEY, as openssl genpkey writes it).")
    @Nullable Path key;

    @Option(names = "--tls-protocols", paramLabel = "PROTOCOLS", split = ",", order = 62,
            description = "TLS protocols to offer: TLSv1.3 (the default) and/or TLSv1.2.")
    List<String> protocols = List.of();

    @Option(names = "--tls-ciphers", paramLabel = "SUITES", split = ",", order = 63,
            description = "TLS cipher suites to offer, in order (JDK names); default: the JDK's for the protocols.")
    List<String> ciphers = List.of();

    @Option(names = "--require-tls", order = 64,
            description = "Refuse plaintext on the port: HTTP gets 426 (TUNNEL_018), SSH and the rest are closed.")
    boolean requireTls;

    /** The TLS settings these options give, if any. */
    Optional<TlsSettings> settings() {
        if (certificate == null && key == null) {
            if (!protocols.isEmpty() || !ciphers.isEmpty() || requireTls) {
                throw new IllegalArgumentException("--tls-protocols, --tls-ciphers and --require-tls need --tls-cert and --tls-key");
            }
            return Optional.empty();
        }
        if (certificate == null || key == null) {
            throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key");
        }
        TlsSettings.Builder builder = TlsSettings.pem(certificate, key).requireTls(requireTls)
                .cipherSuites(ciphers.toArray(String[]::new));
        if (!protocols.isEmpty()) {
            builder.protocols(protocols.toArray(String[]::new));
        }
        return Optional.of(builder.build());
    }

    /** The public-key pin of the certificate in {@code --tls-cert}, for clients' {@code --tls-pin}. */
    String pin() {
        try (InputStream in = Files.newInputStream(java.util.Objects.requireNonNull(certificate))) {
            return TlsTrust.pinOf((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("Cannot read " + certificate + ": " + e.getMessage(), e);
        }
    }
}
