package online.cloudtolocalllm.tunnel.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Refused upgrades (401 with the Phase 1 JSON body, no SSH session) and text frames, on both server hosts. */
class UpgradeRefusalTest {
    @TempDir
    Path dataDir;

    private TunnelServer server;
    private NettyTestHost netty;
    private JettyTestHost jetty;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = TunnelServer.create(TunnelServerConfig.builder().dataDir(dataDir).jwtSecret(TestTokens.SECRET).build());
        server.start().get(30, TimeUnit.SECONDS);
        netty = new NettyTestHost(server);
        jetty = new JettyTestHost(server);
    }

    @AfterEach
    void stop() throws Exception {
        netty.close();
        jetty.close();
        server.shutdownNow();
    }

    private URI endpoint(String host) {
        return "netty".equals(host) ? netty.uri("/tunnel") : jetty.uri();
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "jetty"})
    void anExpiredTokenGets401WithTunnel003(String host) throws Exception {
        RawResponse response = upgrade(endpoint(host), TestTokens.expired("alice"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"TUNNEL_003\"").contains("\"category\":\"authentication\"");
        assertThat(server.sessions()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "jetty"})
    void aForgedTokenGets401WithTunnel002(String host) throws Exception {
        RawResponse response = upgrade(endpoint(host), TestTokens.forged("alice"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"TUNNEL_002\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "jetty"})
    void theClientFailsWithTheServersCodeAndDoesNotRetry(String host) throws Exception {
        TunnelClient client = TunnelClient.create(TunnelClientConfig.builder()
                .server(endpoint(host)).token(TestTokens.expired("alice"))
                .hostKeys(HostKeyPolicy.pinned(server.hostKeyFingerprint())).build());
        try {
            assertThatThrownBy(() -> client.start().get(30, TimeUnit.SECONDS)).hasMessageContaining("TUNNEL_003");
            assertThat(client.state()).isEqualTo(TunnelState.FAILED);
        } finally {
            client.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "jetty"})
    void aTextFrameClosesTheConnectionWith1003(String host) throws Exception {
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + TestTokens.valid("alice"))
                .buildAsync(endpoint(host), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closeCode.complete(statusCode);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("SSH-2.0-but-as-text\r\n", true).get(10, TimeUnit.SECONDS);
        assertThat(closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1003);
    }

    /** java.net.http refuses to send Upgrade headers itself, so the handshake request goes over a plain socket. */
    private static RawResponse upgrade(URI ws, String token) throws Exception {
        try (Socket socket = new Socket(ws.getHost(), ws.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + ws.getPath() + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + token + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            byte[] body = new byte[length.find() ? Integer.parseInt(length.group(1)) : 0];
            in.readFully(body);
            return new RawResponse(Integer.parseInt(head.substring(9, 12)), new String(body, StandardCharsets.UTF_8));
        }
    }

    private record RawResponse(int statusCode, String body) {
    }
}
