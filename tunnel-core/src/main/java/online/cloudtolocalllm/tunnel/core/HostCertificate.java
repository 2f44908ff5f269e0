package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.HostKeyCertificateProvider;
import org.apache.sshd.common.session.SessionContext;

/**
 * The server's OpenSSH host certificate, read and checked once at start: it must be a host certificate of the
 * server's own key and valid now. sshd presents it to clients that offer certificate algorithms.
 */
final class HostCertificate implements HostKeyCertificateProvider {
    private final OpenSshCertificate certificate;

    private HostCertificate(OpenSshCertificate certificate) {
        this.certificate = certificate;
    }

    /** The certificate in {@code file}, if it certifies {@code hostKey} as a host and is valid at {@code now}. */
    static HostCertificate read(Path file, PublicKey hostKey, Instant now) {
        OpenSshCertificate certificate = parse(file);
        String problem = certificate.getType() != OpenSshCertificate.Type.HOST ? "is a user certificate, not a host certificate"
                : !KeyUtils.compareKeys(certificate.getCertPubKey(), hostKey) ? "certifies "
                        + KeyFiles.fingerprint(certificate.getCertPubKey()) + ", not this server's host key "
                        + KeyFiles.fingerprint(hostKey)
                : !OpenSshCertificate.isValidAt(certificate, now) ? "is not valid now (" + now + ")"
                : null;
        if (problem != null) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Host certificate " + file + " (id '"
                    + certificate.getId() + "') " + problem);
        }
        return new HostCertificate(certificate);
    }

    private static OpenSshCertificate parse(Path file) {
        PublicKey key;
        try {
            String line = Files.readString(file, StandardCharsets.UTF_8).strip();
            key = PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, null);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot read the host certificate " + file + ": "
                    + e.getMessage(), e);
        }
        if (key instanceof OpenSshCertificate certificate) {
            return certificate;
        }
        throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Host certificate " + file
                + " holds a plain public key, not an OpenSSH certificate (make one with ssh-keygen -s CA -h)");
    }

    /** The certificate's CA key fingerprint and id, for the server's log. */
    String describe() {
        return "id '" + certificate.getId() + "', principals " + certificate.getPrincipals() + ", signed by CA "
                + KeyFiles.fingerprint(certificate.getCaPubKey());
    }

    @Override
    public Iterable<OpenSshCertificate> loadCertificates(SessionContext session) {
        return List.of(certificate);
    }
}
