package online.cloudtolocalllm.tunnel.core;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import online.cloudtolocalllm.tunnel.spi.SshKey;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.signature.SignatureECDSA;
import org.apache.sshd.common.signature.SignatureRSASHA256;
import org.apache.sshd.common.signature.SignatureRSASHA512;

/**
 * Signature factories that sign with a token's private key through the token's own provider. With Bouncy Castle
 * registered, sshd would sign through BC, which cannot use a key that never leaves its token; every other key
 * signs and verifies as before.
 */
final class TokenSignatures {
    private TokenSignatures() {
    }

    /** {@code factories}, with the ECDSA and RSA ones routing {@code token}'s signatures to its provider. */
    static List<NamedFactory<Signature>> route(List<NamedFactory<Signature>> factories, SshKey token) {
        Map<String, Supplier<Signature>> routed = Map.of(
                "ecdsa-sha2-nistp256", () -> new Ecdsa("SHA256withECDSA", "ecdsa-sha2-nistp256", token),
                "ecdsa-sha2-nistp384", () -> new Ecdsa("SHA384withECDSA", "ecdsa-sha2-nistp384", token),
                "ecdsa-sha2-nistp521", () -> new Ecdsa("SHA512withECDSA", "ecdsa-sha2-nistp521", token),
                "rsa-sha2-256", () -> new SignatureRSASHA256() {
                    @Override
                    protected java.security.Signature doInitSignature(SessionContext session, String algorithm, Key key,
                            boolean forSigning) throws GeneralSecurityException {
                        return forToken(token, key, forSigning) ? signer(token, algorithm)
                                : super.doInitSignature(session, algorithm, key, forSigning);
                    }
                },
                "rsa-sha2-512", () -> new SignatureRSASHA512() {
                    @Override
                    protected java.security.Signature doInitSignature(SessionContext session, String algorithm, Key key,
                            boolean forSigning) throws GeneralSecurityException {
                        return forToken(token, key, forSigning) ? signer(token, algorithm)
                                : super.doInitSignature(session, algorithm, key, forSigning);
                    }
                });
        return factories.stream().<NamedFactory<Signature>>map(factory -> {
            Supplier<Signature> supplier = routed.get(factory.getName());
            return supplier == null ? factory : new Routed(factory.getName(), supplier);
        }).toList();
    }

    private static boolean forToken(SshKey token, Key key, boolean forSigning) {
        return forSigning && key == token.keyPair().getPrivate();
    }

    private static java.security.Signature signer(SshKey token, String algorithm) throws GeneralSecurityException {
        return java.security.Signature.getInstance(algorithm, token.signer());
    }

    private record Routed(String getName, Supplier<Signature> supplier) implements NamedFactory<Signature> {
        @Override
        public Signature create() {
            return supplier.get();
        }
    }

    private static final class Ecdsa extends SignatureECDSA {
        private final SshKey token;

        Ecdsa(String algorithm, String sshName, SshKey token) {
            super(algorithm, sshName);
            this.token = token;
        }

        @Override
        protected java.security.Signature doInitSignature(SessionContext session, String algorithm, Key key,
                boolean forSigning) throws GeneralSecurityException {
            return forToken(token, key, forSigning) ? signer(token, algorithm)
                    : super.doInitSignature(session, algorithm, key, forSigning);
        }
    }
}
