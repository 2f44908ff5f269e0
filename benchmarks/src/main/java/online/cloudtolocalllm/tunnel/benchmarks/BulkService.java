package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
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
import java.util.Random;

/**
 * The bulk TCP service behind every tunnel, both ways. A connection starts with one byte: {@link #UPLOAD}, after
 * which it reads everything to the end and answers the hex SHA-256 of what arrived; or {@link #DOWNLOAD} and an
 * eight-byte length, after which it sends that many bytes of {@link #BLOCK} and closes, for the receiver to check.
 */
final class BulkService implements AutoCloseable {
    static final int UPLOAD = 'U';
    static final int DOWNLOAD = 'D';
    /** 1 MiB of seeded random bytes, repeated in both directions: incompressible, and the same in every run. */
    static final byte[] BLOCK = block();
    private final ServerSocket socket;

    private BulkService() throws IOException {
        socket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("bulk-service").start(this::acceptLoop);
    }

    static BulkService start() {
        try {
            return new BulkService();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Sends {@code bytes} (whole blocks) to the service at {@code port}; returns the SHA-256 it saw. */
    static String upload(int port, long bytes) throws IOException {
        try (Socket connection = connect(port)) {
            OutputStream out = connection.getOutputStream();
            out.write(UPLOAD);
            for (long sent = 0; sent < bytes; sent += BLOCK.length) {
                out.write(BLOCK);
            }
            connection.shutdownOutput();
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * Asks the service at {@code port} for {@code bytes} (whole blocks) and reads them to the end; returns the SHA-256
     * of what arrived, which is {@link #digestOf} {@code bytes} only if all of it came, in order.
     */
    static String download(int port, long bytes) throws IOException {
        try (Socket connection = connect(port)) {
            DataOutputStream out = new DataOutputStream(connection.getOutputStream());
            out.write(DOWNLOAD);
            out.writeLong(bytes);
            out.flush();
            return hexDigestOf(connection.getInputStream());
        }
    }

    /** The hex SHA-256 of {@code bytes} (whole blocks) of {@link #BLOCK}. */
    static String digestOf(long bytes) {
        MessageDigest digest = sha256();
        for (long done = 0; done < bytes; done += BLOCK.length) {
            digest.update(BLOCK);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Socket connect(int port) throws IOException {
        Socket connection = new Socket();
        connection.setTcpNoDelay(true);
        connection.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        return connection;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket connection) {
        try (connection; DataInputStream in = new DataInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream()) {
            int command = in.read();
            if (command == UPLOAD) {
                out.write(hexDigestOf(in).getBytes(StandardCharsets.US_ASCII));
            } else if (command == DOWNLOAD) {
                long bytes = in.readLong();
                for (long sent = 0; sent < bytes; sent += BLOCK.length) {
                    out.write(BLOCK);
                }
            }
        } catch (EOFException e) {
            // a download request cut short: nothing to send
        } catch (IOException e) {
            // the other end gave up; it reports the failure
        }
    }

    private static String hexDigestOf(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[256 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] block() {
        byte[] block = new byte[(int) Settings.MIB];
        new Random(42).nextBytes(block);
        return block;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
