package online.cloudtolocalllm.tunnel.core;

import java.net.SocketAddress;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.Identity;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoHandler;

/**
 * sshd's acceptor for connections that a host hands over: binding is only recorded (the host owns the port), and
 * {@link #accept} starts an SSH server session on a frame connection.
 */
final class FrameIoAcceptor extends FrameIoService implements IoAcceptor {
    /** The identity the connection's upgrade proved, on the sshd session. */
    static final AttributeKey<Identity> UPGRADE_IDENTITY = new AttributeKey<>();

    private final Set<SocketAddress> bound = new CopyOnWriteArraySet<>();

    FrameIoAcceptor(IoHandler handler, TrafficCounters counters) {
        super(handler, counters);
    }

    /** Starts an SSH session on {@code connection}, whose upgrade authenticated as {@code identity}. */
    void accept(FrameConnection connection, Identity identity) {
        if (isClosing()) {
            connection.close(CloseCodes.GOING_AWAY, "server shutting down");
            return;
        }
        try {
            FrameIoSession session = open(connection, true, null);
            session.setAttribute(UPGRADE_IDENTITY, identity);
            connection.start(session);
        } catch (Exception e) {
            connection.close(CloseCodes.INTERNAL_ERROR, "session setup failed");
        }
    }

    @Override
    public void bind(Collection<? extends SocketAddress> addresses) {
        bound.addAll(addresses);
    }

    @Override
    public void bind(SocketAddress address) {
        bound.add(address);
    }

    @Override
    public void unbind(Collection<? extends SocketAddress> addresses) {
        bound.removeAll(addresses);
    }

    @Override
    public void unbind(SocketAddress address) {
        bound.remove(address);
    }

    @Override
    public void unbind() {
        bound.clear();
    }

    @Override
    public Set<SocketAddress> getBoundAddresses() {
        return Set.copyOf(bound);
    }
}
