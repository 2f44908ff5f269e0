package online.cloudtolocalllm.tunnel.core;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.global.AbstractOpenSshHostKeysHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code hostkeys-prove-00@openssh.com}: signs a proof with each requested key the ring holds, or fails the
 * whole request if it names one it does not. sshd's own handler picks the key by type only, which signs with the
 * wrong key once the current key and its successor share a type.
 */
final class HostKeyProofHandler extends AbstractOpenSshHostKeysHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HostKeyProofHandler.class);

    private final HostKeyRing ring;

    HostKeyProofHandler(HostKeyRing ring) {
        super(HostKeyProof.PROVE);
        this.ring = ring;
    }

    @Override
    protected Result handleHostKeys(Session session, Collection<? extends PublicKey> keys, boolean wantReply, Buffer buffer)
            throws Exception {
        List<KeyPair> pairs = new ArrayList<>();
        for (PublicKey key : keys) {
            Optional<KeyPair> held = ring.held(key);
            if (held.isEmpty()) {
                LOG.info("Host-key proof for {} refused to {}: not a key of this server", KeyFiles.fingerprint(key),
                        session.getRemoteAddress());
                return Result.ReplyFailure;
            }
            pairs.add(held.get());
        }
        if (!wantReply) {
            return Result.Replied;
        }
        Buffer reply = session.createBuffer(SshConstants.SSH_MSG_REQUEST_SUCCESS);
        for (KeyPair pair : pairs) {
            reply.putBytes(HostKeyProof.sign(session, pair));
        }
        session.writePacket(reply);
        return Result.Replied;
    }
}
