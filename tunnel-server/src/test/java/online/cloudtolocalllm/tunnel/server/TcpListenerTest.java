package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.spi.AcceptedConnection;
import online.cloudtolocalllm.tunnel.spi.ServerHost;
import online.cloudtolocalllm.tunnel.spi.ServerHostContext;
import online.cloudtolocalllm.tunnel.spi.ServerHostProvider;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server TCP listener forwards raw TCP connections to one user's service through that user's tunnel. The Netty host
 * accepts them on its own event loops ({@code TcpConnectionBridge}); {@link TcpListenerOnVirtualThreadsTest} runs the same cases
 * with a host that does not, where the server listens on virtual threads of its own.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpListenerTest {
    private static final int CONNECTIONS = 50;
    private static final int BYTES_EACH = 64 * 1024;

    @TempDir
    Path dataDir;

    private final EventLog serverEvents = new EventLog();
    private TcpTestService echo;
    private TcpTestService sink;
    private TestServer tunnel;
    private int listenerPort;
    private int sinkListenerPort;

    /**
     * Starts the server with listeners on two ports that were free a moment before; another socket can take one in
     * between (a connection's local port is drawn from the same range), so a failed bind is tried again on new ports.
     */
    @BeforeEach
    void start() throws Exception {
        echo = TcpTestService.echo();
        sink = TcpTestService.sha256Sink();
        for (int attempt = 1; tunnel == null; attempt++) {
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    ServerSocket second = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                // both open at once: two probes one after the other may be handed the same port
                listenerPort = first.getLocalPort();
                sinkListenerPort = second.getLocalPort();
            }
            try {
                tunnel = TestServer.start(dataDir, b -> b
                        .tcpListener("alice", "echo", new InetSocketAddress(InetAddress.getLoopbackAddress(), listenerPort))
                        .tcpListener("alice", "sink", new InetSocketAddress(InetAddress.getLoopbackAddress(), sinkListenerPort))
                        .listener(serverEvents)
                        .component(ServerHostProvider.class, hostProvider()));
            } catch (ExecutionException e) {
                if (attempt == 3 || !causedByBind(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean causedByBind(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** Connections the host accepted for the server's listeners. */
    final AtomicInteger acceptedByHost = new AtomicInteger();

    /** The Netty host, counting what it accepts for the listeners. */
    ServerHostProvider hostProvider() {
        return provider(context -> new NettyHostWithout(context) {
            @Override
            public Optional<AutoCloseable> listenTcp(InetSocketAddress address, Consumer<AcceptedConnection> accepted)
                    throws IOException {
                return netty.listenTcp(address, connection -> {
                    acceptedByHost.incrementAndGet();
                    accepted.accept(connection);
                });
            }
        });
    }

    /** How many of {@code connections} the host should have accepted. */
    int expectedHostAccepts(int connections) {
        return connections;
    }

    static ServerHostProvider provider(Function<ServerHostContext, ServerHost> hosts) {
        return new ServerHostProvider() {
            @Override
            public String id() {
                return "netty-for-tests";
            }

            @Override
            public ServerHost create(ServerHostContext context) {
                return hosts.apply(context);
            }
        };
    }

    /** The Netty host without its TCP listening, unless a subclass adds it back. */
    static class NettyHostWithout implements ServerHost {
        final ServerHost netty;

        NettyHostWithout(ServerHostContext context) {
            this.netty = new NettyServerHost(context);
        }

        @Override
        public CompletableFuture<InetSocketAddress> start() {
            return netty.start();
        }

        @Override
        public void stopAccepting() {
            netty.stopAccepting();
        }

        @Override
        public CompletableFuture<Void> close() {
            return netty.close();
        }
    }

    private Socket connect() throws IOException {
        return connect(listenerPort);
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends {@code data} and reads as many bytes back, with the connection open both ways throughout. */
    private byte[] roundTrip(byte[] data) throws Exception {
        try (Socket socket = connect()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(data);
                    out.flush();
                } catch (IOException ignored) {
                    // the reader sees the short answer
                }
            });
            byte[] answer = socket.getInputStream().readNBytes(data.length);
            writer.join();
            return answer;
        }
    }

    @Test
    void rawTcpReachesAlicesServiceOnManyConnectionsInParallel() throws Exception {
        tunnel.connect("alice", new ExposedService("echo", "127.0.0.1", echo.port()));

        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                byte[] data = new byte[BYTES_EACH];
                new Random(i).nextBytes(data);
                results.add(pool.submit(() -> Arrays.equals(roundTrip(data), data)));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).as("each connection gets its own bytes back").isTrue();
            }
        }
        assertThat(echo.accepted()).as("every TCP connection became a connection to the service").isEqualTo(CONNECTIONS);
        assertThat(acceptedByHost).as("connections the host accepted on its event loops").hasValue(expectedHostAccepts(CONNECTIONS));
    }

    @Test
    void aLargeAnswerArrivesWholeAndInOrder() throws Exception {
        tunnel.connect("alice", new ExposedService("echo", "127.0.0.1", echo.port()));
        byte[] data = new byte[16 << 20];
        new Random(11).nextBytes(data);

        assertThat(roundTrip(data)).as("16 MiB back: the client's large reads go out in packets it fills again once sent")
                .isEqualTo(data);
    }

    @Test
    void aCallerThatHalfClosesGetsTheWholeAnswer() throws Exception {
        tunnel.connect("alice", new ExposedService("sink", "127.0.0.1", sink.port()));
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);

        byte[] answer;
        try (Socket socket = connect(sinkListenerPort)) {
            socket.getOutputStream().write(data);
            socket.shutdownOutput(); // "that is all": the service answers once it reads the end
            answer = socket.getInputStream().readAllBytes();
        }

        assertThat(new String(answer, StandardCharsets.US_ASCII))
                .as("the answer the service writes after the caller's half-close reaches the caller")
                .isEqualTo(HexFormat.of().formatHex(TcpTestService.sha256().digest(data)));
    }

    @Test
    void closesTheConnectionPromptlyWhenAlicesTunnelIsAbsent() throws Exception {
        assertClosedPromptly("before alice ever connected");

        TunnelClient alice = tunnel.connect("alice", new ExposedService("echo", "127.0.0.1", echo.port()));
        assertThat(roundTrip("ping".getBytes())).asString().isEqualTo("ping");
        int mark = serverEvents.mark();
        alice.shutdownNow();
        serverEvents.await(mark, EventLog.service(TunnelEvent.Type.SERVICE_UNREGISTERED, "alice", "echo"), Duration.ofSeconds(5),
                "alice's echo goes away");

        assertClosedPromptly("after alice left");
        assertThat(echo.accepted()).isEqualTo(1);
    }

    private void assertClosedPromptly(String when) throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(5_000);
            long start = System.nanoTime();
            int read;
            try {
                InputStream in = socket.getInputStream();
                read = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("The TCP connection " + when + " stayed open for 5 s", e);
            } catch (IOException reset) {
                read = -1;
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(read).as("the connection %s is closed without data", when).isEqualTo(-1);
            assertThat(millis).as("closed promptly %s", when).isLessThan(2_000);
        }
    }
}
