package online.cloudtolocalllm.tunnel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.Security;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A throw-away SoftHSM2 token: its configuration at {@code $SOFTHSM2_CONF} (set by the build, since the library
 * reads it once per process) points into a temporary directory; EC P-256 keys are generated in it by
 * {@code keytool}, each with the self-signed certificate SunPKCS11 needs to show it.
 */
final class SoftHsmToken {
    static final Path MODULE = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    static final String PIN = "1234";

    private final long slot;
    private final Path config;

    private SoftHsmToken(long slot, Path config) {
        this.slot = slot;
        this.config = config;
    }

    private static SoftHsmToken shared;

    /**
     * The token of this test JVM, initialised on first use with its files beside {@code $SOFTHSM2_CONF} (under
     * {@code target/}). One per JVM: SoftHSM2 reads its configuration once per process, so a second token in another
     * directory would stay invisible to SunPKCS11. Tests tell their keys apart by label.
     */
    static synchronized SoftHsmToken shared() throws Exception {
        if (Security.getProvider("BC") == null) {
            Security.addProvider(new BouncyCastleProvider()); // the token's keys are used with Bouncy Castle registered
        }
        if (shared == null) {
            Path dir = Path.of(System.getenv("SOFTHSM2_CONF")).toAbsolutePath().resolveSibling("softhsm-tokens");
            if (Files.exists(dir)) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
                }
            }
            shared = initialise(dir);
        }
        return shared;
    }

    /** Initialises a token labelled {@code tunnel} with its files under {@code dir}. */
    private static SoftHsmToken initialise(Path dir) throws Exception {
        Path conf = Path.of(System.getenv("SOFTHSM2_CONF"));
        Files.createDirectories(dir.resolve("tokens"));
        Files.writeString(conf, "directories.tokendir = " + dir.resolve("tokens") + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        String output = run(List.of("softhsm2-util", "--init-token", "--free", "--label", "tunnel", "--pin", PIN, "--so-pin", "5678"));
        Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(output);
        assertThat(slot.find()).as(output).isTrue();
        Path p11 = Files.writeString(dir.resolve("p11.cfg"), "name = test\nlibrary = " + MODULE + "\nslot = " + slot.group(1) + "\n");
        return new SoftHsmToken(Long.parseLong(slot.group(1)), p11);
    }

    /** Generates an EC P-256 key pair labelled {@code label} inside the token. */
    void generateEcKey(String label) throws Exception {
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-keystore", "NONE",
                "-storetype", "PKCS11", "-providerClass", "sun.security.pkcs11.SunPKCS11", "-providerArg", config.toString(),
                "-keyalg", "EC", "-groupname", "secp256r1", "-alias", label, "-dname", "CN=" + label, "-storepass", PIN));
    }

    /** Generates an EC P-256 key pair labelled {@code label} whose certificate names this machine's loopback address. */
    void generateTlsKey(String label) throws Exception {
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-keystore", "NONE",
                "-storetype", "PKCS11", "-providerClass", "sun.security.pkcs11.SunPKCS11", "-providerArg", config.toString(),
                "-keyalg", "EC", "-groupname", "secp256r1", "-alias", label, "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-storepass", PIN));
    }

    /** The token as a key store, logged in. */
    KeyStore keyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS11", Security.getProvider("SunPKCS11").configure(config.toString()));
        store.load(null, PIN.toCharArray());
        return store;
    }

    /** The public key of {@code label}, read straight from the token. */
    PublicKey publicKey(String label) throws Exception {
        return keyStore().getCertificate(label).getPublicKey();
    }

    /** The URI of {@code label}. */
    URI uri(String label) {
        return URI.create("pkcs11:slot-id=" + slot + ";object=" + label + "?module-path=" + MODULE + "&pin-value=" + PIN);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(command + ": " + output).isZero();
        return output;
    }
}
