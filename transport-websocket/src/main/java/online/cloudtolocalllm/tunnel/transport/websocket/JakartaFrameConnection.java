package online.cloudtolocalllm.tunnel.transport.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.FrameHandler;
import org.jspecify.annotations.Nullable;

/**
 * A Jakarta WebSocket session as a {@link FrameConnection}. Jakarta allows one asynchronous send at a time, so
 * frames wait in a queue and go out one after another; a send completes while that queue holds at most
 * {@link #HIGH_WATER} bytes. Reads are suspended by holding the container's thread in the message callback.
 */
final class JakartaFrameConnection implements FrameConnection {
    static final long HIGH_WATER = 1 << 20;

    private final Session session;
    private final SocketAddress remote;
    /** Guards delivery: the handler, early frames, suspension. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    /** Guards the send queue; futures are completed only after it is released. */
    private final Object sendLock = new Object();
    private final ArrayDeque<ByteBuffer> early = new ArrayDeque<>();
    private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();
    private final AtomicBoolean closedNotified = new AtomicBoolean();
    private @Nullable FrameHandler handler;
    private boolean sending;
    private long queuedBytes;
    private boolean suspended;
    private volatile boolean closed;
    private volatile int closeCode = CloseCodes.ABNORMAL;
    private volatile String closeReason = "";

    private record Outgoing(ByteBuffer frame, CompletableFuture<Void> taken) {
    }

    JakartaFrameConnection(Session session, SocketAddress remote) {
        this.session = session;
        this.remote = remote;
    }

    /** A whole binary message from the container. */
    void onBinary(ByteBuffer message) {
        lock.lock();
        try {
            while (suspended && !closed) {
                resumed.awaitUninterruptibly();
            }
            if (handler == null) {
                early.add(ByteBuffer.allocate(message.remaining()).put(message).flip());
            } else if (!closed) {
                handler.onFrame(message);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start(FrameHandler frameHandler) {
        lock.lock();
        try {
            handler = frameHandler;
            for (ByteBuffer frame; (frame = early.poll()) != null; ) {
                frameHandler.onFrame(frame);
            }
        } finally {
            lock.unlock();
        }
        if (closedNotified.get()) {
            frameHandler.onClosed(closeCode, closeReason);
        }
    }

    @Override
    public CompletableFuture<Void> send(ByteBuffer frame) {
        if (closed) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        ByteBuffer copy = ByteBuffer.allocate(frame.remaining()).put(frame.duplicate()).flip();
        CompletableFuture<Void> taken = new CompletableFuture<>();
        Outgoing next = null;
        boolean roomLeft;
        synchronized (sendLock) {
            queuedBytes += copy.remaining();
            outgoing.add(new Outgoing(copy, taken));
            if (!sending) {
                sending = true;
                next = outgoing.peek();
            }
            roomLeft = queuedBytes <= HIGH_WATER;
        }
        if (roomLeft) {
            taken.complete(null);
        }
        if (next != null) {
            transmit(next);
        }
        return taken;
    }

    private void transmit(Outgoing item) {
        try {
            session.getAsyncRemote().sendBinary(item.frame().duplicate(), result -> sent(item, result.getException()));
        } catch (RuntimeException e) {
            sent(item, e);
        }
    }

    private void sent(Outgoing item, @Nullable Throwable failure) {
        if (failure != null) {
            item.taken().completeExceptionally(failure);
            close(CloseCodes.INTERNAL_ERROR, "send failed");
            return;
        }
        Outgoing next;
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (sendLock) {
            outgoing.poll();
            queuedBytes -= item.frame().capacity();
            if (queuedBytes <= HIGH_WATER) {
                outgoing.forEach(waiting -> ready.add(waiting.taken()));
            }
            next = outgoing.peek();
            sending = next != null;
        }
        item.taken().complete(null);
        ready.forEach(future -> future.complete(null));
        if (next != null) {
            transmit(next);
        }
    }

    @Override
    public void suspendReads() {
        lock.lock();
        try {
            suspended = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resumeReads() {
        lock.lock();
        try {
            suspended = false;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close(int code, String reason) {
        if (!closed && session.isOpen()) {
            int sendable = code == CloseCodes.ABNORMAL ? CloseCodes.GOING_AWAY : code;
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(sendable), CloseReasons.truncate(reason)));
            } catch (IOException | RuntimeException e) {
                // the session is gone either way
            }
        }
        closed(code, reason);
    }

    /** The session ended, by either side. */
    void closed(int code, String reason) {
        closed = true;
        if (!closedNotified.compareAndSet(false, true)) {
            return;
        }
        FrameHandler target;
        List<Outgoing> dropped;
        synchronized (sendLock) {
            dropped = new ArrayList<>(outgoing);
            outgoing.clear();
        }
        dropped.forEach(item -> item.taken().completeExceptionally(new ClosedChannelException()));
        lock.lock();
        try {
            closeCode = code;
            closeReason = reason;
            target = handler;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
        if (target != null) {
            target.onClosed(code, reason);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && session.isOpen();
    }

    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress(0);
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }
}
