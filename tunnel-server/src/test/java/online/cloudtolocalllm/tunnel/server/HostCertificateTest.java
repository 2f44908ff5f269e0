package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.testing.Commands;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server presents its host key with an OpenSSH host certificate made by real {@code ssh-keygen}; clients that trust
 * the CA ({@code @cert-authority} in known_hosts), ours and OpenSSH's, accept it without knowing the key, any other
 * CA or host name is refused, pins keep naming the key, and a certificate that does not fit stops the server at start.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostCertificateTest {
    @TempDir
    Path dir;

    private Path data;
    private Path hostKey;
    private final List<TunnelClient> clients = new ArrayList<>();
    private TestServer tunnel;

    @BeforeEach
    void createHostKeyAndCa() throws Exception {
        data = Files.createDirectories(dir.resolve("server-data"));
        hostKey = data.resolve("ssh_host_ed25519_key");
        sshKeygen("-q", "-t", "ed25519", "-N", "", "-C", "test server", "-f", hostKey.toString());
        sshKeygen("-q", "-t", "ed25519", "-N", "", "-C", "test CA", "-f", dir.resolve("ca").toString());
        sshKeygen("-q", "-t", "ed25519", "-N", "", "-C", "other CA", "-f", dir.resolve("other-ca").toString());
    }

    @AfterEach
    void stop() {
        clients.forEach(TunnelClient::shutdownNow);
        if (tunnel != null) {
            tunnel.close();
        }
    }

    @Test
    void aClientTrustingTheCaAcceptsTheCertifiedServer() throws Exception {
        start(certify("ca", "127.0.0.1", "-5m:+1h"));

        TunnelClient client = connect(HostKeyPolicy.knownHosts(knownHosts("ca")));

        assertThat(client.crypto()).hasValueSatisfying(crypto ->
                assertThat(crypto.hostKey()).isEqualTo("ssh-ed25519-cert-v01@openssh.com"));
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedNamingTheCa() throws Exception {
        start(certify("ca", "127.0.0.1", "-5m:+1h"));

        TunnelException refused = refused(HostKeyPolicy.knownHosts(knownHosts("other-ca")));

        assertThat(refused.code()).isEqualTo(ErrorCode.SSH_ERROR);
        assertThat(refused.getMessage()).contains("no @cert-authority line there names that CA",
                fingerprintOf(dir.resolve("ca.pub")), tunnel.server().hostKeyFingerprint());
    }

    @Test
    void aCertificateForAnotherHostNameIsRefused() throws Exception {
        start(certify("ca", "tunnel.example.com", "-5m:+1h"));

        TunnelException refused = refused(HostKeyPolicy.knownHosts(knownHosts("ca")));

        assertThat(refused.code()).isEqualTo(ErrorCode.SSH_ERROR);
        assertThat(refused.getMessage()).contains("refused", "invalid principal 127.0.0.1", "tunnel.example.com");
    }

    @Test
    void aRevokedCaIsRefused() throws Exception {
        start(certify("ca", "127.0.0.1", "-5m:+1h"));
        Path knownHosts = knownHosts("ca");
        Files.writeString(knownHosts, "@revoked * " + Files.readString(dir.resolve("ca.pub")).strip() + "\n",
                java.nio.file.StandardOpenOption.APPEND);

        TunnelException refused = refused(HostKeyPolicy.knownHosts(knownHosts));

        assertThat(refused.getMessage()).contains("marks @revoked", fingerprintOf(dir.resolve("ca.pub")));
    }

    @Test
    void aPinnedClientStillPinsTheKeyItself() throws Exception {
        start(certify("ca", "127.0.0.1", "-5m:+1h"));

        TunnelClient client = connect(HostKeyPolicy.pinned(fingerprintOf(publicKey(hostKey))));

        assertThat(client.crypto()).isPresent();
    }

    @Test
    void openSshTrustingTheCaAcceptsTheCertifiedServer() throws Exception {
        start(certify("ca", "127.0.0.1", "-5m:+1h"));

        String accepted = openSsh(knownHosts("ca"));
        String refused = openSsh(knownHosts("other-ca"));

        assertThat(accepted).contains("matches the ED25519-CERT host certificate").doesNotContain("Host key verification failed");
        assertThat(refused).contains("Host key verification failed");
    }

    @Test
    void theServerRefusesToStartWithACertificateOfAnotherKey() throws Exception {
        Path otherKey = dir.resolve("other_host_key");
        sshKeygen("-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString());
        sshKeygen("-q", "-s", dir.resolve("ca").toString(), "-I", "other", "-h", "-n", "127.0.0.1",
                publicKey(otherKey).toString());

        assertThatThrownBy(() -> start(dir.resolve("other_host_key-cert.pub")))
                .hasMessageContaining("certifies " + fingerprintOf(publicKey(otherKey)))
                .hasMessageContaining("not this server's host key " + fingerprintOf(publicKey(hostKey)));
    }

    @Test
    void theServerRefusesToStartWithAnExpiredCertificate() {
        Path expired = certify("ca", "127.0.0.1", "20200101:20200102");

        assertThatThrownBy(() -> start(expired)).hasMessageContaining("is not valid now");
    }

    @Test
    void rotationCannotBeCombinedWithACertificate() {
        Path certificate = certify("ca", "127.0.0.1", "-5m:+1h");

        assertThatThrownBy(() -> TestServer.start(data, b -> b.hostCertificate(certificate)
                .hostKeyRotation(Duration.ofDays(30), Duration.ofDays(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("certifies one key");
    }

    private void start(Path certificate) throws Exception {
        tunnel = TestServer.start(data, builder -> builder.hostCertificate(certificate));
    }

    /** Signs the server's host key with {@code ca} for {@code principal}, valid for {@code validity}. */
    private Path certify(String ca, String principal, String validity) {
        sshKeygen("-q", "-s", dir.resolve(ca).toString(), "-I", "tunnel-test", "-h", "-n", principal, "-V", validity,
                publicKey(hostKey).toString());
        return data.resolve("ssh_host_ed25519_key-cert.pub");
    }

    /** A known_hosts file trusting {@code ca} for every host. */
    private Path knownHosts(String ca) throws IOException {
        Path file = dir.resolve("known_hosts-" + ca);
        Files.writeString(file, "@cert-authority * " + Files.readString(dir.resolve(ca + ".pub")).strip() + "\n");
        return file;
    }

    private static Path publicKey(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    /** A public key's fingerprint as {@code ssh-keygen -l} prints it. */
    private static String fingerprintOf(Path publicKey) {
        return sshKeygen("-l", "-f", publicKey.toString()).split(" ")[1];
    }

    private TunnelClient connect(HostKeyPolicy policy) throws Exception {
        TunnelClient client = TunnelClient.create(tunnel.clientConfig("alice").hostKeys(policy).build());
        clients.add(client);
        client.start().get(15, TimeUnit.SECONDS);
        return client;
    }

    private TunnelException refused(HostKeyPolicy policy) throws Exception {
        TunnelClient client = TunnelClient.create(tunnel.clientConfig("alice").hostKeys(policy).build());
        clients.add(client);
        try {
            client.start().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TunnelException.class);
            return (TunnelException) e.getCause();
        }
        throw new AssertionError("the client connected; expected its host-key check to refuse the server");
    }

    /** Runs OpenSSH against the server's raw SSH port with strict host-key checking; returns its verbose output. */
    private String openSsh(Path knownHosts) throws Exception {
        Process ssh = new ProcessBuilder("ssh", "-v", "-p", Integer.toString(tunnel.port()),
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-o", "IdentitiesOnly=yes", "-o", "IdentityFile=/dev/null", "-F", "/dev/null", "alice@127.0.0.1", "true")
                .redirectErrorStream(true).start();
        ssh.getOutputStream().close();
        String output = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ssh.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private static String sshKeygen(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ssh-keygen"));
        command.addAll(List.of(arguments));
        return Commands.run(command.toArray(String[]::new));
    }
}
