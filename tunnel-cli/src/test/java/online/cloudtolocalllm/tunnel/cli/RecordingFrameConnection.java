package online.cloudtolocalllm.tunnel.cli;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.FrameHandler;

/** A frame connection that records what is sent and leaves each send pending until the test completes it. */
final class RecordingFrameConnection implements FrameConnection {
    final LinkedBlockingQueue<CompletableFuture<Void>> pendingSends = new LinkedBlockingQueue<>();
    final List<byte[]> sent = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
    volatile FrameHandler handler;

    @Override
    public void start(FrameHandler frameHandler) {
        handler = frameHandler;
    }

    @Override
    public CompletableFuture<Void> send(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        sent.add(bytes);
        CompletableFuture<Void> taken = new CompletableFuture<>();
        pendingSends.add(taken);
        return taken;
    }

    @Override
    public void suspendReads() {
    }

    @Override
    public void resumeReads() {
    }

    @Override
    public void close(int code, String reason) {
        if (closedWith.complete(code)) {
            handler.onClosed(code, reason);
        }
    }

    @Override
    public boolean isOpen() {
        return !closedWith.isDone();
    }

    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress(0);
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress(0);
    }
}
