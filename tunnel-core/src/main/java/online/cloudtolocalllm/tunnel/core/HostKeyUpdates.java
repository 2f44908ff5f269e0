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

/**
 * The client's side of host-key rotation: on {@code hostkeys-00@openssh.com} from a server whose key it trusts, asks
 * the server to prove it holds the announced keys it does not trust yet ({@code hostkeys-prove-00@openssh.com}) and
 * trusts those whose proofs verify. It never drops a key it trusts.
 */
final class HostKeyUpdates extends OpenSshHostKeysHandler {
    /** Where the outcome of an announcement is reported. */
    interface Outcome {
        /** The server proved these keys; they are trusted from now on ({@code where} says how). */
        void learned(ClientSession session, List<String> fingerprints, String where);

        /** The server announced these keys but did not prove it holds them; they are not trusted. */
        void refused(ClientSession session, List<String> fingerprints, String why);
    }

    private final HostKeyCheck check;
    private final Outcome outcome;

    HostKeyUpdates(HostKeyCheck check, Outcome outcome) {
        this.check = check;
        this.outcome = outcome;
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
            outcome.refused(session, keys.stream().map(KeyFiles::fingerprint).toList(), "the server would not prove it holds them");
            return;
        }
        List<String> learned = new ArrayList<>();
        List<String> forged = new ArrayList<>();
        String where = "";
        for (PublicKey key : keys) {
            if (reply.available() > 0 && HostKeyProof.verify(session, key, reply.getBytes())) {
                where = check.learn(session, key);
                learned.add(KeyFiles.fingerprint(key));
            } else {
                forged.add(KeyFiles.fingerprint(key));
            }
        }
        if (!learned.isEmpty()) {
            outcome.learned(session, learned, where);
        }
        if (!forged.isEmpty()) {
            outcome.refused(session, forged, "the server's proof does not verify");
        }
    }
}
