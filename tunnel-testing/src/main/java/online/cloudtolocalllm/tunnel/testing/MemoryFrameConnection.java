package online.cloudtolocalllm.tunnel.testing;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.FrameHandler;
import org.jspecify.annotations.Nullable;

/**
 * One end of an in-memory frame connection. Frames sent by the peer wait in this end's inbox, bounded: a send
 * completes only while the inbox holds at most {@link #HIGH_WATER} bytes, so a slow reader holds the writer back.
 * A delivery thread hands frames to the handler in order, pausing while reads are suspended.
 */
final class MemoryFrameConnection implements FrameConnection {
    static final int HIGH_WATER = 1 << 20;
    private static final AtomicInteger PORTS = new AtomicInteger(40000);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final SocketAddress local;
    private final SocketAddress remote;
    private @Nullable MemoryFrameConnection peer;
    private @Nullable FrameHandler handler;
    private long queuedBytes;
    private boolean suspended;
    private volatile boolean closed;

    private record Close(int code, String reason) {
    }

    private record Waiter(long threshold, CompletableFuture<Void> future) {
    }

    private MemoryFrameConnection(SocketAddress local, SocketAddress remote) {
        this.local = local;
        this.remote = remote;
    }

    /** Two connected ends: {@code [client, server]}. */
    static MemoryFrameConnection[] pair(String name) {
        SocketAddress client = InetSocketAddress.createUnresolved("mem-client", PORTS.incrementAndGet());
        SocketAddress server = InetSocketAddress.createUnresolved(name, 1);
        MemoryFrameConnection a = new MemoryFrameConnection(client, server);
        MemoryFrameConnection b = new MemoryFrameConnection(server, client);
        a.peer = b;
        b.peer = a;
        return new MemoryFrameConnection[] {a, b};
    }

    @Override
    public void start(FrameHandler frameHandler) {
        lock.lock();
        try {
            if (handler != null) {
                throw new IllegalStateException("already started");
            }
            handler = frameHandler;
        } finally {
            lock.unlock();
        }
        Thread.ofPlatform().daemon().name("mem-frames-" + local).start(this::deliver);
    }

    @Override
    public CompletableFuture<Void> send(ByteBuffer frame) {
        MemoryFrameConnection to = peer;
        ByteBuffer copy = ByteBuffer.allocate(frame.remaining()).put(frame.duplicate()).flip();
        return to == null ? CompletableFuture.failedFuture(new IllegalStateException("not connected")) : to.enqueue(copy, this);
    }

    private CompletableFuture<Void> enqueue(ByteBuffer frame, MemoryFrameConnection from) {
        lock.lock();
        try {
            if (closed || from.closed) {
                return CompletableFuture.failedFuture(new java.nio.channels.ClosedChannelException());
            }
            inbox.add(frame);
            queuedBytes += frame.remaining();
            changed.signalAll();
            if (queuedBytes <= HIGH_WATER) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> later = new CompletableFuture<>();
            waiters.add(new Waiter(HIGH_WATER, later));
            return later;
        } finally {
            lock.unlock();
        }
    }

    private void deliver() {
        while (true) {
            Object next;
            FrameHandler target;
            List<CompletableFuture<Void>> unblocked = new ArrayList<>();
            lock.lock();
            try {
                while (!closed && (inbox.isEmpty() || suspended)) {
                    changed.awaitUninterruptibly();
                }
                if (inbox.isEmpty()) {
                    return;
                }
                next = inbox.poll();
                target = handler;
                if (next instanceof ByteBuffer frame) {
                    queuedBytes -= frame.remaining();
                    while (!waiters.isEmpty() && queuedBytes <= waiters.peek().threshold()) {
                        unblocked.add(waiters.poll().future());
                    }
                }
            } finally {
                lock.unlock();
            }
            unblocked.forEach(future -> future.complete(null));
            if (next instanceof Close close) {
                finish(close.code(), close.reason());
                return;
            }
            if (target != null) {
                target.onFrame((ByteBuffer) next);
            }
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
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close(int code, String reason) {
        MemoryFrameConnection to = peer;
        if (to != null) {
            to.receiveClose(code, reason);
        }
        finish(code, reason);
    }

    private void receiveClose(int code, String reason) {
        lock.lock();
        try {
            if (!closed) {
                inbox.add(new Close(code, reason));
                suspended = false;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes this end: pending senders fail, the handler hears about it once. */
    private void finish(int code, String reason) {
        FrameHandler target;
        List<Waiter> failed;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            inbox.clear();
            failed = new ArrayList<>(waiters);
            waiters.clear();
            target = handler;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        failed.forEach(w -> w.future().completeExceptionally(new java.nio.channels.ClosedChannelException()));
        if (target != null) {
            target.onClosed(code, reason);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }
}
