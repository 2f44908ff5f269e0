package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.testing.TestHttpService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets a clear refusal and loses nothing: after each case the server is up and alice's tunnel, connected
 * before the bad input arrived, still serves requests.
 */
class BadInputTest {
    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestHttpService local;
    private TestServer tunnel;

    @BeforeEach
    void start() throws Exception {
        local = TestHttpService.start();
        tunnel = TestServer.start(dataDir, b -> b.handshakeTimeout(Duration.ofSeconds(1)));
        tunnel.connect("alice", new ExposedService("llm", "127.0.0.1", local.port()));
    }

    @AfterEach
    void otherTunnelsStillWork() throws Exception {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(tunnel.ingress("alice", "llm", "/echo"))
                    .header("Authorization", "Bearer " + TestTokens.valid("alice"))
                    .POST(HttpRequest.BodyPublishers.ofString("still here")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("still here");
        } finally {
            tunnel.close();
            local.close();
        }
    }

    @Test
    void textFramesAreRefusedWith1003() throws Exception {
        CloseWatcher closed = new CloseWatcher();
        WebSocket socket = openWebSocket(closed);
        socket.sendText("SSH-2.0-text\r\n", true).get(5, TimeUnit.SECONDS);
        assertThat(closed.code.get(5, TimeUnit.SECONDS)).isEqualTo(1003);
    }

    @Test
    void garbageInsteadOfAnSshBannerIsRefusedWith1002() throws Exception {
        CloseWatcher closed = new CloseWatcher();
        WebSocket socket = openWebSocket(closed);
        socket.sendBinary(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), true).get(5, TimeUnit.SECONDS);
        assertThat(closed.code.get(5, TimeUnit.SECONDS)).isEqualTo(1002);
        assertThat(closed.reason).contains("SSH identification");
        assertThat(tunnel.server().sessions()).hasSize(1);
    }

    @Test
    void framesOverTheSizeLimitAreRefusedWith1009() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", tunnel.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /tunnel HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer "
                    + TestTokens.valid("mallory") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
            // only the header of a 2 MiB binary frame: the limit is enforced on the declared length
            ByteBuffer header = ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127)).putLong(2L << 20).putInt(0x1234abcd);
            out.write(header.array());
            int opcode;
            do {
                opcode = in.readUnsignedByte() & 0x0f;
                int length = in.readUnsignedByte() & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = (int) in.readLong();
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (opcode == 0x8) {
                    assertThat(((payload[0] & 0xff) << 8) | (payload[1] & 0xff)).isEqualTo(1009);
                }
            } while (opcode != 0x8);
        }
    }

    @Test
    void anUpgradeThatNeverCompletesIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", tunnel.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /tunnel HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).as("server closed the connection").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", tunnel.port())) {
            socket.setSoTimeout(5000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aKeptAliveConnectionOutlivesTheHandshakeTimeoutOnceItHasSentARequest() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", tunnel.port())) {
            socket.setSoTimeout(5000);
            byte[] request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write(request);
                assertThat(readResponseHead(socket.getInputStream())).as("request %d", i).startsWith("HTTP/1.1 200");
                Thread.sleep(700); // twice past the 1 s handshake timeout by the third request
            }
        }
    }

    /** The status line and headers of one response, and its body by Content-Length. */
    private static String readResponseHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return head + "<closed>";
            }
            head.append((char) c);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        return head.toString();
    }

    @Test
    void garbageInsteadOfHttpGetsA400() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", tunnel.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, '\r', '\n', '\r', '\n'});
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("TUNNEL_010");
        }
    }

    @Test
    void oversizedHeadersGetA400() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", tunnel.port())) {
            socket.setSoTimeout(5000);
            String huge = "GET /t/alice/llm/echo HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n";
            socket.getOutputStream().write(huge.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400");
        }
        assertThat(local.requests()).isZero();
    }

    @Test
    void garbageAfterAValidSshBannerEndsOnlyThatConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", tunnel.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("SSH-2.0-Fake\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, 12, 4, 99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
            out.write(new byte[4096]);
            InputStream in = socket.getInputStream();
            byte[] banner = new byte[8];
            assertThat(in.readNBytes(banner, 0, 8)).isEqualTo(8);
            assertThat(new String(banner, StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-");
            assertThat(drainToEnd(in)).as("the server closed the connection").isTrue();
        }
    }

    @Test
    void aClientVanishingMidStreamCutsItsResponseAndNothingElse() throws Exception {
        TunnelClient bob = tunnel.connect("bob", new ExposedService("llm", "127.0.0.1", local.port()));
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(tunnel.ingress("bob", "llm", "/ndjson?lines=50&delayMs=100"))
                .header("Authorization", "Bearer " + TestTokens.valid("bob")).build(), HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        assertThat(body.read()).isEqualTo('{');

        bob.shutdownNow();

        CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> drainToEnd(body));
        assertThat(ended.get(10, TimeUnit.SECONDS)).as("the caller's response ends instead of hanging").isTrue();
        assertThat(tunnel.server().sessions()).extracting(s -> s.user()).containsExactly("alice");
    }

    @Test
    void aCallerVanishingMidStreamReleasesTheTunnelStream() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", tunnel.port())) {
            String request = "GET /t/alice/llm/ndjson?lines=100&delayMs=50 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + TestTokens.valid("alice") + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(5000);
            assertThat(socket.getInputStream().read()).isEqualTo('H');
            online.cloudtolocalllm.tunnel.testing.Await.until(Duration.ofSeconds(5), "the stream is open",
                    () -> tunnel.server().metrics().openStreams() == 1);
        }
        online.cloudtolocalllm.tunnel.testing.Await.until(Duration.ofSeconds(10), "the stream is released",
                () -> tunnel.server().metrics().openStreams() == 0);
    }

    private static boolean drainToEnd(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
            return true;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private WebSocket openWebSocket(CloseWatcher watcher) throws Exception {
        return http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + TestTokens.valid("mallory"))
                .buildAsync(URI.create("ws://127.0.0.1:" + tunnel.port() + "/tunnel"), watcher)
                .get(5, TimeUnit.SECONDS);
    }

    /** Records how the server closed a WebSocket. */
    private static final class CloseWatcher implements WebSocket.Listener {
        final CompletableFuture<Integer> code = new CompletableFuture<>();
        volatile String reason = "";

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String text) {
            reason = text;
            code.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            code.completeExceptionally(error);
        }
    }
}
