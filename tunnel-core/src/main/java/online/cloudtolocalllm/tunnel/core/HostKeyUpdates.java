package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.sshd.client.global.OpenSshHostKeysHandler;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of host-key rotation: on {@code hostkeys-00@openssh.com} from a server whose key it trusts, asks
 * the server to prove it holds the announced keys it does not trust yet ({@code hostkeys-prove-00@openssh.com}) and
 * trusts those whose proofs verify. It never drops a key it trusts.
 */
final class HostKeyUpdates extends OpenSshHostKeysHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HostKeyUpdates.class);

    /** Where learned keys are reported. */
    @FunctionalInterface
    interface Learned {
        void learned(ClientSession session, List<String> fingerprints, String where);
    }

    private final HostKeyCheck check;
    private final Learned learned;

    HostKeyUpdates(HostKeyCheck check, Learned learned) {
        this.check = check;
        this.learned = learned;
    }

    @Override
    protected Result handleHostKeys(Session session, Collection<? extends PublicKey> keys, boolean wantReply, Buffer buffer)
            throws IOException {
        if (!(session instanceof ClientSession client) || !HostKeyCheck.verified(client)) {
            return wantReply ? Result.ReplyFailure : Result.Replied;
        }
        List<PublicKey> unknown = keys.stream().filter(key -> !check.trusts(client, key)).map(PublicKey.class::cast).toList();
        if (!unknown.isEmpty()) {
            Buffer request = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, 64 + 64 * unknown.size());
            request.putString(HostKeyProof.PROVE);
            request.putBoolean(true);
            unknown.forEach(request::putPublicKey);
            session.request(request, HostKeyProof.PROVE, (command, reply) -> proved(client, unknown, command, reply));
        }
        return wantReply ? Result.ReplySuccess : Result.Replied;
    }

    private void proved(ClientSession session, List<PublicKey> keys, int command, Buffer reply) {
        if (command != SshConstants.SSH_MSG_REQUEST_SUCCESS) {
            LOG.warn("{} announced host keys it would not prove; none learned", session.getConnectAddress());
            return;
        }
        List<String> fingerprints = new ArrayList<>();
        String where = "";
        for (PublicKey key : keys) {
            if (reply.available() > 0 && HostKeyProof.verify(session, key, reply.getBytes())) {
                where = check.learn(session, key);
                fingerprints.add(KeyFiles.fingerprint(key));
            } else {
                LOG.warn("Host key {} announced by {} not learned: the server's proof does not verify",
                        KeyFiles.fingerprint(key), session.getConnectAddress());
            }
        }
        if (!fingerprints.isEmpty()) {
            learned.learned(session, fingerprints, where);
        }
    }
}
