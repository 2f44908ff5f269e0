package online.cloudtolocalllm.tunnel.core;

import org.apache.sshd.server.session.ServerSession;

/** What the registration handler asks of the server: register and remove a session's services. */
interface ServerRoutes {

    /** Registers {@code name} for the session's user; false if refused. */
    boolean register(ServerSession session, String name, String bindAddress, int bindPort);

    void unregister(ServerSession session, String name);

    /** Records that a registration was refused, and why. */
    void refuse(ServerSession session, String name, String reason);
}
