package online.cloudtolocalllm.tunnel.spi;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A duplex connection that carries binary frames in order: a WebSocket, a QUIC stream, an in-memory pipe. SSH
 * runs directly on it, one SSH write per frame.
 */
public interface FrameConnection {

    /** Starts delivering received frames to {@code handler}; called once, after the tunnel is ready for them. */
    void start(FrameHandler handler);

    /**
     * Sends one binary frame. Frames go out in call order. The future completes when the transport has taken the
     * frame without exceeding its buffer limit, so a caller that waits for it cannot make memory grow without bound.
     * The buffer is not touched after the future completes.
     */
    CompletableFuture<Void> send(ByteBuffer frame);

    /** Stops delivering frames until {@link #resumeReads()}; the peer is slowed down by the transport's flow control. */
    void suspendReads();

    void resumeReads();

    /**
     * Opens local TCP connections on this connection's I/O thread, if the transport can; the tunnel client then
     * relays its services without handing bytes between threads. Empty by default.
     */
    default Optional<LocalConnector> localConnector() {
        return Optional.empty();
    }

    /** Closes with a WebSocket-style close code ({@link CloseCodes}) and a reason. */
    void close(int code, String reason);

    boolean isOpen();

    SocketAddress localAddress();

    SocketAddress remoteAddress();
}
