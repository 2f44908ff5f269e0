package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code hostkeys-00@openssh.com} (no reply wanted) with every host key the server accepts, so clients learn a
 * successor before it is presented; as in OpenSSH, keys left out are ones the server no longer accepts.
 */
final class HostKeyAnnouncement {
    private static final Logger LOG = LoggerFactory.getLogger(HostKeyAnnouncement.class);

    private HostKeyAnnouncement() {
    }

    static void send(Session session, List<PublicKey> keys) {
        if (!session.isOpen()) {
            return;
        }
        Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, 64 + 64 * keys.size());
        buffer.putString(HostKeyProof.ANNOUNCE);
        buffer.putBoolean(false);
        keys.forEach(buffer::putPublicKey);
        try {
            session.writePacket(buffer);
        } catch (IOException e) {
            LOG.debug("Host keys not announced to {}: {}", session.getRemoteAddress(), e.toString());
        }
    }
}
