package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faster start the README describes: a client run with {@code -XX:AOTCacheOutput} and stopped by SIGTERM
 * leaves a JVM AOT cache as it exits, and the next client starts from it ({@code -XX:AOTMode=on} refuses to start
 * if the cache cannot be used).
 */
class AotCacheIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aClientStoppedBySigtermLeavesACacheTheNextClientStartsFrom() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "an AOT cache in one run (JEP 514) needs JDK 25");
        try (ChildProcess server = ChildProcess.tunnelJar("server", "--listen", "127.0.0.1:0", "--data-dir",
                dir.resolve("server").toString(), "--jwt-secret", TestTokens.SECRET)) {
            String fingerprint = server.awaitLine(line -> line.startsWith("host key fingerprint: "), TIMEOUT)
                    .text().substring("host key fingerprint: ".length());
            Matcher address = Pattern.compile("ws://127\\.0\\.0\\.1:\\d+/tunnel")
                    .matcher(server.awaitLine(line -> line.startsWith("ready:"), TIMEOUT).text());
            assertThat(address.find()).isTrue();
            Path cache = dir.resolve("tunnel.aot");
            List<String> client = List.of("client", "--server", address.group(), "--token", TestTokens.valid("alice"),
                    "--fingerprint", fingerprint, "--expose", "web=127.0.0.1:9");

            try (ChildProcess training = ChildProcess.start(java(List.of("-XX:AOTCacheOutput=" + cache), client))) {
                training.awaitLine(line -> line.startsWith("registered:"), TIMEOUT);
                training.process().toHandle().destroy(); // SIGTERM, the pipes left open for what the JVM writes at exit
                assertThat(training.awaitExit(TIMEOUT)).as(training.stderr()).isEqualTo(143);
            }
            assertThat(cache).isRegularFile();
            assertThat(Files.size(cache)).isPositive();

            try (ChildProcess fromCache = ChildProcess.start(java(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"), client))) {
                assertThat(fromCache.awaitLine(line -> line.startsWith("registered:"), TIMEOUT).text()).contains("web=");
            }
        }
    }

    /** {@code java options... -jar tunnel.jar arguments...}. */
    private static List<String> java(List<String> options, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(ChildProcess.java()));
        command.addAll(options);
        command.addAll(List.of("-jar", ChildProcess.JAR.toString()));
        command.addAll(arguments);
        return command;
    }
}
