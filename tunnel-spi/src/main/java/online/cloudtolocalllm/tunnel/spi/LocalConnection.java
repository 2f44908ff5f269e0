package online.cloudtolocalllm.tunnel.spi;

import java.nio.ByteBuffer;

/** A TCP connection to a local service opened by a {@link LocalConnector}. Its methods may be called from any thread. */
public interface LocalConnection {

    /**
     * Sends {@code length} bytes of {@code data} from {@code offset}, copied before this returns, in call order.
     * {@code written} runs once the socket has taken them, which is how a slow service slows the tunnel down.
     */
    void write(byte[] data, int offset, int length, Runnable written);

    /** Half-closes: the service reads end of stream once everything written before has gone out. */
    void shutdownOutput();

    /** Stops reading from the service until {@link #resumeReads()}. */
    void pauseReads();

    void resumeReads();

    /** Closes the connection at once. */
    void close();

    /** What the service sends, on the connector's I/O thread, in order. */
    interface Receiver {

        /** Bytes from the service, readable only during the call. */
        void onData(ByteBuffer data);

        /** The service half-closed: no more bytes come. */
        void onEnd();

        /** The connection is gone. */
        void onClosed();
    }
}
