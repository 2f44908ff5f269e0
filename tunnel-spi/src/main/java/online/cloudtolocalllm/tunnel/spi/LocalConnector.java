package online.cloudtolocalllm.tunnel.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Opens TCP connections to local services on the I/O thread of a {@link FrameConnection}, so the bytes between the
 * tunnel and a local service change no thread on their way (see {@link FrameConnection#localConnector()}).
 */
public interface LocalConnector {

    /**
     * Connects to {@code host}:{@code port}. The connection starts with reads paused: call
     * {@link LocalConnection#resumeReads()} once the tunnel can take its bytes. {@code receiver} is called on the
     * connector's I/O thread.
     */
    CompletableFuture<LocalConnection> connect(String host, int port, LocalConnection.Receiver receiver);
}
