package online.cloudtolocalllm.tunnel.core;

import java.security.KeyPair;
import java.security.PublicKey;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The proof that a server holds a host key, as OpenSSH's PROTOCOL (section 2.5) defines it: a signature by that key
 * over the request name, the session identifier and the key, encoded as in RFC 4253 section 6.6.
 */
final class HostKeyProof {
    /** The server's announcement of every host key it accepts. */
    static final String ANNOUNCE = "hostkeys-00@openssh.com";
    /** The client's request that the server prove it holds some of the announced keys. */
    static final String PROVE = "hostkeys-prove-00@openssh.com";

    private HostKeyProof() {
    }

    /** Signs the proof for {@code keys} in {@code session}. */
    static byte[] sign(Session session, KeyPair keys) throws Exception {
        String algorithm = algorithm(keys.getPublic());
        Signature signer = signature(session, algorithm);
        signer.initSigner(session, keys.getPrivate());
        signer.update(session, signedData(session, keys.getPublic()));
        Buffer encoded = new ByteArrayBuffer();
        encoded.putString(algorithm);
        encoded.putBytes(signer.sign(session));
        return encoded.getCompactData();
    }

    /** Whether {@code proof} is a valid signature by {@code key} for {@code session}. */
    static boolean verify(Session session, PublicKey key, byte[] proof) {
        try {
            String algorithm = new ByteArrayBuffer(proof).getString();
            if (!KeyUtils.getKeyType(key).equals(KeyUtils.getCanonicalKeyType(algorithm))) {
                return false;
            }
            Signature verifier = signature(session, algorithm);
            verifier.initVerifier(session, key);
            verifier.update(session, signedData(session, key));
            return verifier.verify(session, proof);
        } catch (Exception e) {
            return false;
        }
    }

    private static byte[] signedData(Session session, PublicKey key) {
        Buffer data = new ByteArrayBuffer();
        data.putString(PROVE);
        data.putBytes(session.getSessionId());
        data.putPublicKey(key);
        return data.getCompactData();
    }

    /** The signature algorithm for a key: its type, except RSA, which OpenSSH proves with SHA-512. */
    private static String algorithm(PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        return KeyPairProvider.SSH_RSA.equals(type) ? "rsa-sha2-512" : type;
    }

    private static Signature signature(Session session, String algorithm) {
        Signature signature = NamedFactory.create(session.getSignatureFactories(), algorithm);
        if (signature == null) {
            throw new IllegalStateException("No signature " + algorithm + " in this session's algorithms");
        }
        return signature;
    }
}
