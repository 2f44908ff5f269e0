package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards each TCP connection on a local address to one user's service, a virtual thread per direction: the server's
 * TCP listeners when its host does not accept them on its own I/O threads ({@link TcpConnectionBridge}).
 */
final class TcpServiceListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpServiceListener.class);
    private static final int WRITES_IN_FLIGHT = 4;
    /** Bytes read per packet: the packet size our ends announce, less when the peer announced less. */
    static final int CHUNK = SshDefaults.MAX_PACKET_SIZE;

    private final ServerSocket socket;
    private final String user;
    private final String service;
    private final TunnelServer server;

    private TcpServiceListener(ServerSocket socket, String user, String service, TunnelServer server) {
        this.socket = socket;
        this.user = user;
        this.service = service;
        this.server = server;
    }

    static TcpServiceListener start(InetSocketAddress address, String user, String service, TunnelServer server)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(address);
        TcpServiceListener listener = new TcpServiceListener(socket, user, service, server);
        Thread.ofVirtual().name("tcp-listener-" + user + "/" + service).start(listener::acceptLoop);
        LOG.info("TCP listener on {} forwards to {}/{}", socket.getLocalSocketAddress(), user, service);
        return listener;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                Thread.ofVirtual().name("tcp-" + user + "/" + service).start(() -> bridge(connection));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("TCP listener for {}/{} failed to accept: {}", user, service, e.toString());
                }
            }
        }
    }

    private void bridge(Socket connection) {
        TunnelStream stream;
        try {
            stream = server.openStream(user, service).get();
        } catch (ExecutionException | InterruptedException e) {
            LOG.info("TCP connection from {} to {}/{} dropped: {}", connection.getRemoteSocketAddress(), user, service,
                    e.getCause() == null ? e.toString() : e.getCause().getMessage());
            closeQuietly(connection);
            return;
        }
        Thread upstream = Thread.ofVirtual().start(() -> copyToStream(connection, stream));
        try (InputStream in = stream.inputStream(); OutputStream out = connection.getOutputStream()) {
            in.transferTo(out);
            connection.shutdownOutput();
            upstream.join();
        } catch (IOException | InterruptedException e) {
            LOG.debug("TCP bridge to {}/{} ended: {}", user, service, e.toString());
        } finally {
            stream.close();
            closeQuietly(connection);
        }
    }

    /**
     * Copies the caller's bytes up the tunnel, with a few writes in flight so reading the socket and sending overlap
     * (at most {@value #WRITES_IN_FLIGHT} wait: memory stays bounded); a half-close becomes end of stream, and the
     * answer still flows back. The packet of a finished write is filled again, so a long upload goes round a few
     * packets instead of allocating (and having the JVM zero) one per chunk.
     */
    private static void copyToStream(Socket connection, TunnelStream stream) {
        ArrayDeque<Write> inFlight = new ArrayDeque<>();
        try {
            // not closed here: closing a socket's input stream closes the socket, and the answer is still coming
            InputStream in = connection.getInputStream();
            @Nullable ChannelDataPacket spare = null;
            while (true) {
                Write write = stream instanceof ChannelTunnelStream channelStream
                        ? readPacket(in, channelStream, spare) : readChunk(in, stream);
                if (write == null) {
                    break;
                }
                inFlight.add(write);
                spare = inFlight.size() >= WRITES_IN_FLIGHT ? inFlight.poll().finish() : null;
            }
            stream.shutdownOutput().join();
        } catch (IOException | RuntimeException e) {
            stream.close();
        }
    }

    /** A write on its way, and the packet it sends, if the stream took one. */
    private record Write(CompletableFuture<Void> sent, @Nullable ChannelDataPacket packet) {
        /** Waits for the write; its packet, emptied for the next read (a completed send holds no reference to it). */
        @Nullable ChannelDataPacket finish() {
            sent.join();
            return packet == null ? null : packet.reset();
        }
    }

    /**
     * Reads a chunk straight into a packet of this engine's stream ({@code spare}, or a new one) and sends it; null
     * at end of stream.
     */
    private static @Nullable Write readPacket(InputStream in, ChannelTunnelStream stream, @Nullable ChannelDataPacket spare)
            throws IOException {
        ChannelDataPacket packet = spare != null ? spare : stream.newPacket(CHUNK);
        return packet.readFrom(in) < 0 ? null : new Write(stream.write(packet), packet);
    }

    /** Reads a chunk and writes it to any other stream, which copies it; null at end of stream. */
    private static @Nullable Write readChunk(InputStream in, TunnelStream stream) throws IOException {
        byte[] buffer = new byte[CHUNK];
        int read = in.read(buffer);
        return read < 0 ? null : new Write(stream.write(ByteBuffer.wrap(buffer, 0, read)), null);
    }

    private static void closeQuietly(Socket connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a listener that failed is all we wanted
        }
    }
}
