package online.cloudtolocalllm.tunnel.transport.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.FrameHandler;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * A client WebSocket as a {@link FrameConnection}. OkHttp queues outgoing frames without limit of its own short of
 * closing the socket at 16 MiB, so sends complete only while its queue is under {@link #HIGH_WATER}; above that they
 * wait until it drains below {@link #LOW_WATER}. Reads are suspended by holding OkHttp's reader thread.
 */
final class OkHttpFrameConnection extends WebSocketListener implements FrameConnection {
    static final long HIGH_WATER = 1 << 20;
    static final long LOW_WATER = 256 * 1024;

    private final URI uri;
    private final ScheduledExecutorService drainWatcher;
    private final CompletableFuture<FrameConnection> opened = new CompletableFuture<>();
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final Condition resumed = deliveryLock.newCondition();
    private final ArrayDeque<ByteString> early = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Void>> waitingForDrain = new ArrayDeque<>();
    private final AtomicBoolean closedNotified = new AtomicBoolean();
    private volatile @Nullable WebSocket socket;
    private @Nullable FrameHandler handler;
    private boolean suspended;
    private boolean drainScheduled;
    private volatile boolean closed;

    OkHttpFrameConnection(URI uri, ScheduledExecutorService drainWatcher) {
        this.uri = uri;
        this.drainWatcher = drainWatcher;
    }

    CompletableFuture<FrameConnection> opened() {
        return opened;
    }

    // ---- OkHttp callbacks, on its reader thread

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        socket = webSocket;
        opened.complete(this);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
        deliveryLock.lock();
        try {
            while (suspended && !closed) {
                resumed.awaitUninterruptibly();
            }
            if (handler == null) {
                early.add(bytes);
            } else if (!closed) {
                handler.onFrame(bytes.asByteBuffer());
            }
        } finally {
            deliveryLock.unlock();
        }
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        close(CloseCodes.UNSUPPORTED_DATA, "text frames are not accepted: SSH travels in binary frames");
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        webSocket.close(code, null);
        notifyClosed(code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        notifyClosed(code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, @Nullable Response response) {
        if (!opened.isDone()) {
            opened.completeExceptionally(refusal(failure, response));
            return;
        }
        notifyClosed(CloseCodes.ABNORMAL, String.valueOf(failure.getMessage()));
    }

    private TunnelException refusal(Throwable failure, @Nullable Response response) {
        if (response != null && response.code() != 101) {
            String body = "";
            try (ResponseBody content = response.body()) {
                body = content.string();
            } catch (IOException | RuntimeException e) {
                // the status alone has to do
            }
            return UpgradeRefusal.of(response.code(), body);
        }
        TunnelException tls = TlsFailures.classify(failure, uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 443));
        return tls != null ? tls : new TunnelException(ErrorCode.SERVER_UNAVAILABLE, "Cannot reach " + uri + ": " + failure, failure);
    }

    // ---- FrameConnection

    @Override
    public void start(FrameHandler frameHandler) {
        deliveryLock.lock();
        try {
            if (handler != null) {
                throw new IllegalStateException("already started");
            }
            handler = frameHandler;
            for (ByteString bytes; (bytes = early.poll()) != null; ) {
                frameHandler.onFrame(bytes.asByteBuffer());
            }
        } finally {
            deliveryLock.unlock();
        }
    }

    @Override
    public CompletableFuture<Void> send(ByteBuffer frame) {
        WebSocket ws = socket;
        if (ws == null || closed || !ws.send(ByteString.of(frame))) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        if (ws.queueSize() <= HIGH_WATER) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        synchronized (waitingForDrain) {
            waitingForDrain.add(drained);
            if (!drainScheduled) {
                drainScheduled = true;
                drainWatcher.schedule(this::checkDrain, 1, TimeUnit.MILLISECONDS);
            }
        }
        return drained;
    }

    private void checkDrain() {
        WebSocket ws = socket;
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        boolean failed;
        synchronized (waitingForDrain) {
            failed = closed || ws == null;
            if (failed || ws.queueSize() <= LOW_WATER) {
                ready.addAll(waitingForDrain);
                waitingForDrain.clear();
            }
            drainScheduled = !waitingForDrain.isEmpty();
            if (drainScheduled) {
                drainWatcher.schedule(this::checkDrain, 1, TimeUnit.MILLISECONDS);
            }
        }
        // completed outside the lock: completion runs sshd's next write, which may call send()
        for (CompletableFuture<Void> future : ready) {
            if (failed) {
                future.completeExceptionally(new ClosedChannelException());
            } else {
                future.complete(null);
            }
        }
    }

    @Override
    public void suspendReads() {
        deliveryLock.lock();
        try {
            suspended = true;
        } finally {
            deliveryLock.unlock();
        }
    }

    @Override
    public void resumeReads() {
        deliveryLock.lock();
        try {
            suspended = false;
            resumed.signalAll();
        } finally {
            deliveryLock.unlock();
        }
    }

    @Override
    public void close(int code, String reason) {
        WebSocket ws = socket;
        if (ws != null && !closed) {
            if (isSendable(code)) {
                ws.close(code, CloseReasons.truncate(reason));
            } else {
                ws.cancel();
            }
        }
        notifyClosed(code, reason);
    }

    private static boolean isSendable(int code) {
        return code >= 1000 && code < 5000 && code != 1004 && code != 1005 && code != 1006 && code != 1015;
    }

    private void notifyClosed(int code, String reason) {
        closed = true;
        if (!closedNotified.compareAndSet(false, true)) {
            return;
        }
        drainWatcher.execute(this::checkDrain);
        FrameHandler target;
        deliveryLock.lock();
        try {
            target = handler;
            resumed.signalAll();
        } finally {
            deliveryLock.unlock();
        }
        if (target != null) {
            target.onClosed(code, reason);
        }
    }

    @Override
    public boolean isOpen() {
        return socket != null && !closed;
    }

    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress(0);
    }

    @Override
    public SocketAddress remoteAddress() {
        int port = uri.getPort() > 0 ? uri.getPort() : "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return InetSocketAddress.createUnresolved(uri.getHost(), port);
    }

    @Override
    public String toString() {
        return "WebSocket[" + uri + "]";
    }
}
