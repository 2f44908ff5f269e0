package online.cloudtolocalllm.tunnel.core;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * One of the parallel sessions a client keeps to the server: the client instance and the session's index. The client
 * announces it with the global request {@value #REQUEST} before registering its services, so the server keeps the
 * routes of a client's other sessions when one of them registers, and replaces only the same lane (a reconnect) or
 * another client's.
 *
 * @param clientId random for each client instance
 * @param index which of its sessions, from 0
 */
record Lane(String clientId, int index) {
    static final String REQUEST = "lane@cloudtolocalllm.online";
    static final AttributeKey<Lane> KEY = new AttributeKey<>();

    /** The announcement, sent without asking for a reply: the server handles global requests in order. */
    Buffer announcement(Session session) {
        Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, 64 + clientId.length());
        buffer.putString(REQUEST);
        buffer.putBoolean(false);
        buffer.putString(clientId);
        buffer.putUInt(index);
        return buffer;
    }

    /** Reads the announcement's fields after the request name and want-reply flag. */
    static Lane read(Buffer buffer) {
        String clientId = buffer.getString();
        long index = buffer.getUInt();
        if (clientId.isEmpty() || clientId.length() > 64 || index > 63) {
            throw new IllegalArgumentException("Bad lane " + clientId + "/" + index);
        }
        return new Lane(clientId, (int) index);
    }
}
