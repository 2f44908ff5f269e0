package online.cloudtolocalllm.tunnel.core;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.ReservedSessionMessagesHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * The server's SSH-level keepalive: a {@code keepalive@openssh.com} request that wants a reply. Every client
 * answers it (success or failure), so a quiet but live session always has traffic, and a transport that cannot
 * ping (SSH straight on TCP) still lets the server notice a dead peer within its keepalive timeout.
 */
final class ServerHeartbeat implements ReservedSessionMessagesHandler {
    static final String REQUEST = "keepalive@openssh.com";

    @Override
    public boolean sendReservedHeartbeat(ConnectionService service) throws Exception {
        Session session = service.getSession();
        Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, REQUEST.length() + 8);
        buffer.putString(REQUEST);
        buffer.putBoolean(true);
        session.request(buffer, REQUEST, (command, reply) -> { });
        return true;
    }
}
