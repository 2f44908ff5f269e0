package online.cloudtolocalllm.tunnel.spi;

/**
 * A TCP connection a {@link ServerHost} accepted for one of the server's TCP listeners
 * ({@link ServerHost#listenTcp}). It starts with reads paused and nobody to receive them: call {@link #receive} once,
 * then {@link #resumeReads()}.
 */
public interface AcceptedConnection extends LocalConnection {

    /** Where what the caller sends goes, on the host's I/O thread of this connection, in order. */
    void receive(Receiver receiver);
}
