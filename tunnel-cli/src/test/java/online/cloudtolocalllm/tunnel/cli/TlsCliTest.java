package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.testing.Await;
import online.cloudtolocalllm.tunnel.testing.TestCertificates;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tunnel server} with TLS from its config file prints its wss:// and https:// endpoints and its TLS pin;
 * {@code tunnel client} trusts a CA file and pins the key, and a wrong pin fails naming both pins.
 */
class TlsCliTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern READY = Pattern.compile("ready: tunnel endpoint (wss://[^ ,]+), ingress https://");
    private static final Pattern FINGERPRINT = Pattern.compile("host key fingerprint: (SHA256:\\S+)");
    private static final Pattern PIN = Pattern.compile("tls public-key pin: (sha256/\\S+)");

    @TempDir
    Path dir;

    private final List<Thread> running = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Thread thread : running.reversed()) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(10));
        }
    }

    @Test
    void aTlsServerFromItsConfigFileServesAPinnedClientAndRefusesAWrongPin() throws Exception {
        TestCertificates ca = TestCertificates.authority(dir, "cli");
        TestCertificates.Issued certificate = ca.issue("server", "127.0.0.1");
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "listen=127.0.0.1:0",
                "data-dir=" + dir.resolve("data"),
                "jwt-secret=" + TestTokens.SECRET,
                "tls-cert=" + certificate.chainFile(),
                "tls-key=" + certificate.keyFile(),
                "tls-protocols=TLSv1.3,TLSv1.2",
                "require-tls=true",
                ""), StandardCharsets.UTF_8);

        CliRun server = start("server", "--config", config.toString());
        Await.until(WAIT, "the server's ready: line", () -> READY.matcher(server.out.toString()).find());
        String output = server.out.toString();
        assertThat(group(PIN, output)).isEqualTo(certificate.pin());

        CliRun client = start("client", "--server", group(READY, output), "--token", TestTokens.valid("alice"),
                "--expose", "llm=127.0.0.1:11434", "--fingerprint", group(FINGERPRINT, output),
                "--tls-ca", ca.caFile().toString(), "--tls-pin", certificate.pin());
        Await.until(WAIT, "the registered: line", () -> client.out.toString().contains("registered:"));

        String wrongPin = ca.issue("other", "127.0.0.1").pin();
        CliRun.Result refused = CliRun.run("client", "--server", group(READY, output), "--token", TestTokens.valid("alice"),
                "--fingerprint", group(FINGERPRINT, output), "--tls-ca", ca.caFile().toString(), "--tls-pin", wrongPin);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("tunnel client: TUNNEL_020", "expected " + wrongPin, certificate.pin())
                .doesNotContain("RECONNECTING");
    }

    @Test
    void tlsOptionsWithoutACertificateAreAUsageError() {
        CliRun.Result run = CliRun.run("server", "--data-dir", dir.toString(), "--jwt-secret", TestTokens.SECRET, "--require-tls");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("need --tls-cert and --tls-key");
    }

    private CliRun start(String... args) {
        CliRun run = CliRun.prepare(args);
        running.add(Thread.ofPlatform().name(args[0] + "-command").start(() -> run.execute(args)));
        return run;
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(pattern + " in " + text).isTrue();
        return matcher.group(1);
    }
}
