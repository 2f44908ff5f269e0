package online.cloudtolocalllm.tunnel.core;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of a graceful handoff: on shutdown it sends each session the global request
 * {@value #REQUEST} (wanting a reply) before draining. A client that answers success will move to another endpoint
 * and close its session itself, so the server waits for it (up to its shutdown timeout); a client that answers
 * failure, as every client that does not know the request does, is closed once its streams are done.
 */
final class DrainingNotice {
    static final String REQUEST = "draining@cloudtolocalllm.online";
    private static final Logger LOG = LoggerFactory.getLogger(DrainingNotice.class);

    /** Sessions not yet answered, or moving away and not yet closed. */
    private final Map<Session, Boolean> awaited = new ConcurrentHashMap<>();

    /** Tells every session in {@code sessions} that the server is draining. */
    void announce(Collection<? extends Session> sessions) {
        for (Session session : sessions) {
            awaited.put(session, Boolean.TRUE);
            try {
                Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, REQUEST.length() + 8);
                buffer.putString(REQUEST);
                buffer.putBoolean(true);
                session.request(buffer, REQUEST, (command, reply) -> {
                    if (command != SshConstants.SSH_MSG_REQUEST_SUCCESS) {
                        awaited.remove(session);
                    } else {
                        LOG.info("Session of '{}' from {} moves to another endpoint", session.getUsername(),
                                session.getRemoteAddress());
                    }
                });
            } catch (Exception e) {
                awaited.remove(session);
            }
        }
    }

    /** A session closed: nothing more to wait for from it. */
    void closed(Session session) {
        awaited.remove(session);
    }

    /** Whether some session has not answered yet, or said it moves and is still open. */
    boolean waitingForHandoffs() {
        awaited.keySet().removeIf(session -> !session.isOpen());
        return !awaited.isEmpty();
    }
}
