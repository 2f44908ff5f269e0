package online.cloudtolocalllm.tunnel.core;

import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.SessionFactory;
import org.jspecify.annotations.Nullable;

/** An sshd server whose acceptor takes frame connections from hosts instead of binding a socket. */
final class TunnelSshServer extends SshServer {
    private final TrafficCounters counters;
    private volatile @Nullable FrameIoAcceptor frameAcceptor;

    TunnelSshServer(TrafficCounters counters) {
        this.counters = counters;
    }

    @Override
    protected SessionFactory createSessionFactory() {
        return new RekeySafeSessions(this);
    }

    @Override
    protected IoAcceptor createAcceptor() {
        frameAcceptor = new FrameIoAcceptor(getSessionFactory(), counters);
        return frameAcceptor;
    }

    /** The acceptor, once started. */
    @Nullable FrameIoAcceptor frameAcceptor() {
        return frameAcceptor;
    }
}
