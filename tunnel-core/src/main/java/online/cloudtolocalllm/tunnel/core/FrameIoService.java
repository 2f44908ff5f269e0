package online.cloudtolocalllm.tunnel.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoService;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.util.closeable.AbstractCloseable;
import org.jspecify.annotations.Nullable;

/** What the frame connector and acceptor share: the sshd handler, the live sessions, the counters. */
abstract class FrameIoService extends AbstractCloseable implements IoService {
    private final Map<Long, IoSession> sessions = new ConcurrentHashMap<>();
    private final IoHandler handler;
    private final TrafficCounters counters;
    private @Nullable IoServiceEventListener eventListener;

    FrameIoService(IoHandler handler, TrafficCounters counters) {
        this.handler = handler;
        this.counters = counters;
    }

    IoHandler handler() {
        return handler;
    }

    /** Registers a session for {@code connection} and tells sshd about it; frames flow once this returns. */
    FrameIoSession open(FrameConnection connection, boolean serverSide, @Nullable AttributeRepository context)
            throws Exception {
        FrameIoSession session = new FrameIoSession(this, connection, serverSide, new TrafficCounters(counters));
        if (context != null) {
            session.setAttribute(AttributeRepository.class, context);
        }
        sessions.put(session.getId(), session);
        try {
            handler.sessionCreated(session);
        } catch (Exception e) {
            session.close(true);
            throw e;
        }
        return session;
    }

    void sessionClosed(FrameIoSession session) {
        sessions.remove(session.getId());
    }

    @Override
    public Map<Long, IoSession> getManagedSessions() {
        return Map.copyOf(sessions);
    }

    @Override
    public @Nullable IoServiceEventListener getIoServiceEventListener() {
        return eventListener;
    }

    @Override
    public void setIoServiceEventListener(@Nullable IoServiceEventListener listener) {
        this.eventListener = listener;
    }

    @Override
    protected void doCloseImmediately() {
        for (IoSession session : sessions.values()) {
            session.close(true);
        }
        super.doCloseImmediately();
    }
}
