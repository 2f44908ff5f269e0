package online.cloudtolocalllm.tunnel.core;

import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.ServerFactoryManager;
import org.apache.sshd.server.session.ServerSessionImpl;
import org.apache.sshd.server.session.SessionFactory;

/**
 * Server sessions that survive both ends starting a key re-exchange at once.
 *
 * <p>In sshd 2.20, when the server starts a re-exchange on a writing thread (a write that crossed the rekey limit)
 * and the client's KEXINIT arrives before that thread has sent the server's, the writing thread is left to
 * negotiate, under the session's {@code kexState} monitor. The reading thread goes on meanwhile: the client's first
 * key-exchange packet can reach it before the negotiated exchange exists, and sshd fails on it with a
 * NullPointerException that ends the session. These sessions wait for that monitor first, which is waiting for the
 * negotiation to be done. (A client session cannot meet this: the server's answer comes only after the client's
 * first packet, which the client sends once its exchange exists.)
 */
final class RekeySafeSessions extends SessionFactory {
    RekeySafeSessions(ServerFactoryManager server) {
        super(server);
    }

    @Override
    protected ServerSessionImpl doCreateSession(IoSession ioSession) throws Exception {
        return new Session(getServer(), ioSession);
    }

    /** Not final: a test holds a re-exchange back in a subclass to make the race happen. */
    static class Session extends ServerSessionImpl {
        Session(ServerFactoryManager server, IoSession ioSession) throws Exception {
            super(server, ioSession);
        }

        @Override
        protected void handleKexMessage(int cmd, Buffer buffer) throws Exception {
            if (kex == null) {
                synchronized (kexState) {
                    // nothing to do inside: holding the monitor means the negotiating thread has left it
                }
            }
            super.handleKexMessage(cmd, buffer);
        }
    }
}
