package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.server.HostKeyRotationTest.Echo;
import online.cloudtolocalllm.tunnel.testing.EventLog;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client credentials rotate under live tunnels: a user's authorized key replaced by a new one, and the JWT signing
 * key replaced in the JWKS. New logins need the new credential; tunnels that logged in with the old one keep relaying.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CredentialRotationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final TcpTestService echo = TcpTestService.echo();
    private final List<TunnelClient> clients = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        clients.forEach(TunnelClient::shutdownNow);
        for (AutoCloseable c : closing) {
            c.close();
        }
        echo.close();
    }

    private TunnelClient start(TunnelClientConfig config) {
        TunnelClient client = TunnelClient.create(config);
        clients.add(client);
        return client;
    }

    @Test
    void replacingAUsersAuthorizedKeyKeepsTheLiveTunnelAndAdmitsOnlyTheNewKey() throws Exception {
        Path oldKey = sshKeygen("old");
        Path newKey = sshKeygen("new");
        Path authorizedKeys = Files.writeString(dir.resolve("authorized_keys"), authorizedLine(oldKey));
        TestServer tunnel = TestServer.start(dir.resolve("data"), b -> b.authorizedKeys(authorizedKeys));
        closing.add(tunnel);
        EventLog events = new EventLog();
        TunnelClient live = start(keyClient(tunnel, oldKey).expose("echo", "127.0.0.1", echo.port()).listener(events).build());
        live.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        try (TunnelStream opened = tunnel.server().openStream("alice", "echo").get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            Echo stream = new Echo(opened.outputStream(), opened.inputStream());
            HostKeyRotationTest.assertEchoes(stream, "before the key changes");

            Files.writeString(authorizedKeys, authorizedLine(newKey));
            Files.setLastModifiedTime(authorizedKeys, FileTime.from(Instant.now().plusSeconds(5)));

            start(keyClient(tunnel, newKey).build()).start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Throwable refused = catchThrowable(() -> start(keyClient(tunnel, oldKey).build()).start().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertThat(refused.getCause()).isInstanceOfSatisfying(TunnelException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
            HostKeyRotationTest.assertEchoes(stream, "after the key changed");
        }
        assertThat(live.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(events.ofType(TunnelEvent.Type.DISCONNECTED)).isEmpty();
    }

    @Test
    void aTokenSignedWithANewKeyFromTheRefreshedJwksIsAcceptedWhileTheLiveTunnelStaysUp() throws Exception {
        ECKey first = new ECKeyGenerator(Curve.P_256).keyID("first").generate();
        ECKey second = new ECKeyGenerator(Curve.P_256).keyID("second").generate();
        AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(first.toPublicJWK()));
        HttpServer jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/jwks.json", exchange -> {
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        closing.add(() -> jwks.stop(0));
        TunnelServer server = TunnelServer.create(TunnelServerConfig.builder().listen("127.0.0.1", 0).dataDir(dir.resolve("data"))
                .jwksUrl(URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json"))
                .keepAlive(Duration.ofSeconds(2), Duration.ofSeconds(6)).shutdownTimeout(Duration.ofSeconds(1)).build());
        server.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        closing.add(server::shutdownNow);
        URI endpoint = URI.create("ws://127.0.0.1:" + server.address().orElseThrow().getPort() + "/tunnel");
        EventLog events = new EventLog();
        TunnelClient live = start(tokenClient(endpoint, server, token("alice", first)).expose("echo", "127.0.0.1", echo.port())
                .listener(events).build());
        live.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        try (TunnelStream opened = server.openStream("alice", "echo").get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            Echo stream = new Echo(opened.outputStream(), opened.inputStream());
            HostKeyRotationTest.assertEchoes(stream, "before the signing key changes");

            published.set(new JWKSet(second.toPublicJWK()));
            start(tokenClient(endpoint, server, token("bob", second)).build()).start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            HostKeyRotationTest.assertEchoes(stream, "after the signing key changed");
        }
        assertThat(live.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(events.ofType(TunnelEvent.Type.DISCONNECTED)).isEmpty();
    }

    private TunnelClientConfig.Builder keyClient(TestServer tunnel, Path key) {
        return TunnelClientConfig.builder().server(tunnel.tunnelUri()).user("alice").identityFile(key)
                .hostKeys(HostKeyPolicy.pinned(tunnel.server().hostKeyFingerprint()))
                .keepAlive(Duration.ofSeconds(2), Duration.ofSeconds(6)).shutdownTimeout(Duration.ofSeconds(1));
    }

    private static TunnelClientConfig.Builder tokenClient(URI endpoint, TunnelServer server, String token) {
        return TunnelClientConfig.builder().server(endpoint).token(token).hostKeys(HostKeyPolicy.pinned(server.hostKeyFingerprint()))
                .keepAlive(Duration.ofSeconds(2), Duration.ofSeconds(6)).shutdownTimeout(Duration.ofSeconds(1));
    }

    private static String token(String user, ECKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject(user).expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private Path sshKeygen(String name) throws Exception {
        Path key = dir.resolve(name);
        Process process = new ProcessBuilder("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return key;
    }

    private static String authorizedLine(Path key) throws Exception {
        String[] fields = Files.readString(Path.of(key + ".pub")).split(" ");
        return fields[0] + " " + fields[1] + " alice\n";
    }
}
