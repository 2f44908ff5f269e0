package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.core.KeyFiles;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real OpenSSH client, with {@code tunnel connect --stdio} as its ProxyCommand, exposes a service with -R, reached
 * through the Java API, the ingress and a TCP listener, with each cipher OpenSSH and our server share: megabytes go
 * each way, so both ends seal and open full-sized packets (our AES-GCM opens them out of place).
 */
class OpenSshIT {
    private static final String BODY = "hello from the laptop";
    private static final byte[] DOWNLOAD = random(2 * 1024 * 1024 + 5, 11);

    @TempDir
    Path dir;
    private TunnelServer server;
    private HttpServer local;
    private int listenerPort;

    @BeforeEach
    void start() throws Exception {
        KeyPair alice = KeyFiles.generateEd25519();
        KeyFiles.write(alice, dir.resolve("id_ed25519"), "alice");
        Files.copy(dir.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listenerPort = free.getLocalPort();
        }
        server = TunnelServer.create(TunnelServerConfig.builder().listen("127.0.0.1", 0).dataDir(dir.resolve("data"))
                .jwtSecret(TestTokens.SECRET).authorizedKeys(dir.resolve("authorized_keys"))
                .tcpListener("alice", "llm", new InetSocketAddress(InetAddress.getLoopbackAddress(), listenerPort))
                .shutdownTimeout(Duration.ZERO).build());
        server.start().get(30, TimeUnit.SECONDS);
        Files.writeString(dir.resolve("known_hosts"),
                "tunnel " + Files.readString(dir.resolve("data/ssh_host_ed25519_key.pub")));

        local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        local.createContext("/upload", exchange -> {
            byte[] digest = sha256(exchange.getRequestBody().readAllBytes());
            byte[] answer = HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        local.createContext("/download", exchange -> {
            exchange.sendResponseHeaders(200, DOWNLOAD.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(DOWNLOAD);
            }
        });
        local.createContext("/", exchange -> {
            byte[] body = (BODY + " " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        local.start();
    }

    @AfterEach
    void stop() {
        if (local != null) {
            local.stop(0);
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"})
    void openSshExposesAServiceThroughTheStdioBridge(String cipher) throws Exception {
        int port = server.address().orElseThrow().getPort();
        String token = TestTokens.valid("alice");
        String proxyCommand = "'" + ChildProcess.java() + "' -jar '" + ChildProcess.JAR.toAbsolutePath()
                + "' connect --stdio --server ws://127.0.0.1:" + port + " --token " + token;
        try (ChildProcess ssh = ChildProcess.start(List.of("/usr/bin/ssh", "-F", "/dev/null", "-N",
                "-R", "llm:80:localhost:" + local.getAddress().getPort(),
                "-o", "ProxyCommand=" + proxyCommand,
                "-o", "HostKeyAlias=tunnel",
                "-o", "UserKnownHostsFile=" + dir.resolve("known_hosts"),
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes",
                "-i", dir.resolve("id_ed25519").toString(),
                "-o", "ExitOnForwardFailure=yes",
                "-o", "Ciphers=" + cipher,
                "alice@tunnel"))) {
            Await.until(Duration.ofSeconds(60), "service llm of alice registered by OpenSSH",
                    () -> !ssh.process().isAlive() || server.sessions().stream()
                            .anyMatch(s -> s.user().equals("alice") && s.services().contains("llm")));
            assertThat(ssh.process().isAlive()).as("ssh runs; its stderr: %s", ssh.stderr()).isTrue();
            assertThat(server.sessions()).singleElement().satisfies(s -> assertThat(s.crypto().cipher()).isEqualTo(cipher));

            assertThat(throughJavaApi("/api")).startsWith("HTTP/1.1 200").endsWith(BODY + " /api");
            assertThat(throughIngress(port, token)).isEqualTo(BODY + " /hello");
            byte[] upload = random(3 * 1024 * 1024 + 17, 7);
            assertThat(uploadThroughTcpListener(upload))
                    .as("3 MiB through a TCP listener to OpenSSH, which takes 32 KiB packets where our ends take 64 KiB")
                    .endsWith(HexFormat.of().formatHex(sha256(upload)));
            assertThat(sha256(downloadThroughTcpListener()))
                    .as("2 MiB from OpenSSH through a TCP listener, in OpenSSH's packets").isEqualTo(sha256(DOWNLOAD));
        }
    }

    private String uploadThroughTcpListener(byte[] body) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listenerPort)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: llm\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** The body of {@code GET /download} through the TCP listener. */
    private byte[] downloadThroughTcpListener() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listenerPort)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET /download HTTP/1.1\r\nHost: llm\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] response = socket.getInputStream().readAllBytes();
            return java.util.Arrays.copyOfRange(response, response.length - DOWNLOAD.length, response.length);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String throughJavaApi(String path) throws Exception {
        try (TunnelStream stream = server.openStream("alice", "llm").get(20, TimeUnit.SECONDS)) {
            try (OutputStream out = stream.outputStream()) {
                out.write(("GET " + path + " HTTP/1.1\r\nHost: llm\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(stream.inputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(20, TimeUnit.SECONDS);
        }
    }

    private static String throughIngress(int port, String token) throws Exception {
        try (ChildProcess curl = ChildProcess.start(List.of("curl", "-sS", "--max-time", "20",
                "-H", "Authorization: Bearer " + token, "http://127.0.0.1:" + port + "/t/alice/llm/hello"))) {
            assertThat(curl.awaitExit(Duration.ofSeconds(30))).as(curl.stderr()).isZero();
            return curl.stdout();
        }
    }
}
