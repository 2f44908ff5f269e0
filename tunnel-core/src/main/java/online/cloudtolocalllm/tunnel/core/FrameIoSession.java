package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.FrameHandler;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.DefaultCloseFuture;
import org.apache.sshd.common.io.AbstractIoWriteFuture;
import org.apache.sshd.common.io.IoService;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.closeable.AbstractCloseable;
import org.jspecify.annotations.Nullable;

/**
 * sshd's {@link IoSession} over a {@link FrameConnection}: each SSH write becomes one frame, each received frame is
 * handed to sshd in order, and read suspension maps to the transport's back-pressure.
 */
final class FrameIoSession extends AbstractCloseable implements IoSession, FrameHandler {
    private static final AtomicLong IDS = new AtomicLong();
    private static final byte[] SSH_PREFIX = "SSH-".getBytes(StandardCharsets.US_ASCII);

    private final long id = IDS.incrementAndGet();
    private final FrameIoService service;
    private final FrameConnection connection;
    private final TrafficCounters counters;
    private final Map<Object, Object> attributes = new HashMap<>();
    private final AtomicReference<CompletableFuture<Void>> lastWrite = new AtomicReference<>(CompletableFuture.completedFuture(null));
    /** Server side: how many bytes of the peer's "SSH-" prefix are still to be checked. */
    private int prefixToCheck;
    private volatile int closeCode = CloseCodes.NORMAL;
    private volatile String closeReason = "";

    FrameIoSession(FrameIoService service, FrameConnection connection, boolean serverSide, TrafficCounters counters) {
        this.service = service;
        this.connection = connection;
        this.counters = counters;
        this.prefixToCheck = serverSide ? SSH_PREFIX.length : 0;
    }

    TrafficCounters counters() {
        return counters;
    }

    FrameConnection connection() {
        return connection;
    }

    /** Closes the connection with this code and reason instead of a normal closure. */
    void closeWith(int code, String reason) {
        this.closeCode = code;
        this.closeReason = reason;
        close(true);
    }

    /** Why the transport closed, once it has: {@code code reason}. */
    String closeReason() {
        return closeCode + (closeReason.isEmpty() ? "" : " " + closeReason);
    }

    @Override
    public void onFrame(ByteBuffer frame) {
        if (isClosing()) {
            return;
        }
        counters.received(frame.remaining());
        if (prefixToCheck > 0 && !checkPrefix(frame)) {
            closeWith(CloseCodes.PROTOCOL_ERROR, "Expected an SSH identification string (SSH-2.0-...)");
            return;
        }
        InternalThreadMark.markCurrentThread();
        try {
            service.handler().messageReceived(this, Readable.readable(frame));
        } catch (Throwable failure) {
            exceptionCaught(failure);
        }
    }

    private boolean checkPrefix(ByteBuffer frame) {
        int start = SSH_PREFIX.length - prefixToCheck;
        int n = Math.min(prefixToCheck, frame.remaining());
        for (int i = 0; i < n; i++) {
            if (frame.get(frame.position() + i) != SSH_PREFIX[start + i]) {
                return false;
            }
        }
        prefixToCheck -= n;
        return true;
    }

    @Override
    public void onClosed(int code, String reason) {
        if (closeCode == CloseCodes.NORMAL) {
            closeCode = code;
            closeReason = reason;
        }
        close(true);
    }

    private void exceptionCaught(Throwable failure) {
        if (isClosing()) {
            return;
        }
        try {
            service.handler().exceptionCaught(this, failure);
        } catch (Throwable ignored) {
            // the handler failed while handling a failure: closing below is all that is left to do
        }
        closeWith(CloseCodes.INTERNAL_ERROR, String.valueOf(failure.getMessage()));
    }

    @Override
    public IoWriteFuture writeBuffer(Buffer buffer) throws IOException {
        FrameWriteFuture future = new FrameWriteFuture(id);
        if (isClosing()) {
            future.setValue(new ClosedChannelException());
            return future;
        }
        int length = buffer.available();
        ByteBuffer frame = ByteBuffer.wrap(buffer.array(), buffer.rpos(), length);
        CompletableFuture<Void> sent = connection.send(frame);
        lastWrite.set(sent);
        sent.whenComplete((ignored, failure) -> {
            if (failure == null) {
                counters.sent(length);
                future.setValue(Boolean.TRUE);
            } else {
                future.setValue(failure);
            }
        });
        return future;
    }

    @Override
    protected CloseFuture doCloseGracefully() {
        DefaultCloseFuture written = new DefaultCloseFuture(toString(), futureLock);
        lastWrite.get().whenComplete((ignored, failure) -> written.setClosed());
        return written;
    }

    @Override
    protected void doCloseImmediately() {
        connection.close(closeCode, closeReason);
        service.sessionClosed(this);
        super.doCloseImmediately();
        try {
            service.handler().sessionClosed(this);
        } catch (Exception ignored) {
            // sshd has already closed the session it attached; nothing more to release
        }
    }

    @Override
    public void suspendRead() {
        connection.suspendReads();
    }

    @Override
    public void resumeRead() {
        connection.resumeReads();
    }

    @Override
    public void shutdownOutputStream() {
        // frame transports have no half-close; sshd closes the whole session right after
    }

    @Override
    public long getId() {
        return id;
    }

    @Override
    public IoService getService() {
        return service;
    }

    @Override
    public SocketAddress getAcceptanceAddress() {
        return connection.localAddress();
    }

    @Override
    public SocketAddress getLocalAddress() {
        return connection.localAddress();
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public @Nullable Object getAttribute(Object key) {
        synchronized (attributes) {
            return attributes.get(key);
        }
    }

    @Override
    public @Nullable Object setAttribute(Object key, Object value) {
        synchronized (attributes) {
            return attributes.put(key, value);
        }
    }

    @Override
    public @Nullable Object setAttributeIfAbsent(Object key, Object value) {
        synchronized (attributes) {
            return attributes.putIfAbsent(key, value);
        }
    }

    @Override
    public @Nullable Object removeAttribute(Object key) {
        synchronized (attributes) {
            return attributes.remove(key);
        }
    }

    @Override
    public String toString() {
        return "FrameIoSession[" + id + " " + connection.remoteAddress() + "]";
    }

    /** Completes when the transport has taken the frame. */
    private static final class FrameWriteFuture extends AbstractIoWriteFuture {
        FrameWriteFuture(long sessionId) {
            super(sessionId, null);
        }
    }
}
