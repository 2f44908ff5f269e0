package online.cloudtolocalllm.tunnel.crypto.fips;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import online.cloudtolocalllm.tunnel.testing.JavaProcess;
import org.junit.jupiter.api.Test;

/**
 * crypto-fips and the engine resolve on the real module path with bc-fips in place of bcprov, and the JDK binds
 * both the cipher-suite provider and the BCFIPS security provider.
 */
class FipsModulePathTest {
    /** The engine's modules and their libraries, picked from this test's class path. */
    private static final List<String> MODULES = List.of("/crypto-fips/target/", "/tunnel-api/", "/tunnel-spi/",
            "/tunnel-core/", "/sshd-osgi-", "/bc-fips-", "/slf4j-api-", "/nimbus-jose-jwt-");

    @Test
    void cryptoFipsAndTheEngineResolveWithoutBcprov() throws Exception {
        String modulePath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && MODULES.stream().anyMatch(entry::contains))
                .collect(Collectors.joining(File.pathSeparator));
        Process java = new ProcessBuilder(JavaProcess.javaBinary().toString(), "--module-path", modulePath,
                "--add-modules", "online.cloudtolocalllm.tunnel.core", "--show-module-resolution", "-version")
                .redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).contains("online.cloudtolocalllm.tunnel.spi binds online.cloudtolocalllm.tunnel.crypto.fips")
                .contains("binds org.bouncycastle.fips.core").doesNotContain("org.bouncycastle.provider");
    }
}
