package online.cloudtolocalllm.tunnel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local TCP service for tests, on a free loopback port, one virtual thread per connection. Close it to stop it
 * and drop its connections.
 */
public final class TcpTestService implements AutoCloseable {
    /** What the service does with each connection. */
    @FunctionalInterface
    public interface Behaviour {
        void handle(Socket connection) throws IOException;
    }

    private final ServerSocket socket;
    private final Behaviour behaviour;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();

    private TcpTestService(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.socket = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-test-service-" + port()).start(this::acceptLoop);
    }

    public static TcpTestService start(Behaviour behaviour) {
        try {
            return new TcpTestService(behaviour);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes back everything it reads. */
    public static TcpTestService echo() {
        return start(connection -> {
            try (InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
                byte[] buffer = new byte[16 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        });
    }

    /** Reads to end of stream, then answers with the hex SHA-256 of what it read. */
    public static TcpTestService sha256Sink() {
        return start(connection -> {
            MessageDigest digest = sha256();
            try (InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    digest.update(buffer, 0, n);
                }
                out.write(HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII));
            }
        });
    }

    /** Accepts and never reads: the slowest reader there is. */
    public static TcpTestService stall() {
        return start(connection -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                accepted.incrementAndGet();
                open.add(connection);
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            behaviour.handle(connection);
        } catch (IOException e) {
            // the peer went away; nothing to report in a test service
        } finally {
            open.remove(connection);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            for (Socket connection : open) {
                connection.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }
}
