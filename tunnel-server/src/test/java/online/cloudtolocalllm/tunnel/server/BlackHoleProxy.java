package online.cloudtolocalllm.tunnel.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a free loopback port that forwards both ways to a target, and can be told to black-hole: from then
 * on bytes (and end-of-stream) are read and dropped in both directions, on open and new connections alike, while
 * every socket stays open, like a network path that silently died. {@link #forwardNewConnections()} heals the path
 * for connections made afterwards; {@link #cut()} resets every connection at once.
 */
final class BlackHoleProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Relay> relays = ConcurrentHashMap.newKeySet();
    private volatile boolean blackHoleNew;
    private volatile int accepted;

    private BlackHoleProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("black-hole-proxy-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    static BlackHoleProxy to(int targetPort) throws IOException {
        return new BlackHoleProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections relayed so far, open or not. */
    int connections() {
        return accepted;
    }

    /** Drops everything from now on, on every connection, open or new; closes nothing. */
    void blackHole() {
        blackHoleNew = true;
        relays.forEach(relay -> relay.blackHoled = true);
    }

    /** Forwards connections made from now on again; the black-holed ones stay dead. */
    void forwardNewConnections() {
        blackHoleNew = false;
    }

    /** Resets every open connection (both sides see a reset or end of stream at once). */
    void cut() {
        relays.forEach(Relay::reset);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted++;
            Relay relay = new Relay(client, blackHoleNew);
            relays.add(relay);
            Thread.ofVirtual().start(relay::start);
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        relays.forEach(Relay::reset);
    }

    /** One relayed connection: a pump per direction. */
    private final class Relay {
        private final Socket client;
        private final Socket server = new Socket();
        private volatile boolean blackHoled;

        Relay(Socket client, boolean blackHoled) {
            this.client = client;
            this.blackHoled = blackHoled;
        }

        void start() {
            try {
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                server.connect(target, 5_000);
            } catch (IOException e) {
                reset();
                return;
            }
            Thread.ofVirtual().start(() -> pump(client, server));
            Thread.ofVirtual().start(() -> pump(server, client));
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[32 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (!blackHoled) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
                if (!blackHoled) {
                    to.shutdownOutput();
                }
            } catch (IOException e) {
                if (!blackHoled) {
                    reset();
                }
            }
        }

        void reset() {
            relays.remove(this);
            for (Socket socket : new Socket[] {client, server}) {
                try {
                    socket.setSoLinger(true, 0);
                    socket.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }
    }
}
