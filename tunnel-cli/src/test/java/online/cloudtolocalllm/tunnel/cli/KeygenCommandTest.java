package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import online.cloudtolocalllm.tunnel.core.KeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {

    @Test
    void writesAnOpenSshKeyPairAndPrintsItsFingerprint(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("keys/id_ed25519");

        CliRun.Result run = CliRun.run("keygen", "--out", key.toString(), "--comment", "alice");

        assertThat(run.exitCode()).isZero();
        KeyPair keys = KeyFiles.read(key);
        assertThat(keys.getPublic().getAlgorithm()).containsIgnoringCase("ed25519");
        assertThat(run.out()).isEqualTo(KeyFiles.fingerprint(keys.getPublic()) + System.lineSeparator());
        assertThat(Files.readString(key)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(dir.resolve("keys/id_ed25519.pub")).strip())
                .isEqualTo(KeyFiles.publicKeyLine(keys.getPublic(), "alice"));
        assertThat(run.err()).contains("Wrote private key", key.toString());
    }

    @Test
    void refusesToOverwriteAKey(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("id_ed25519");
        CliRun.run("keygen", "--out", key.toString());
        String before = Files.readString(key);

        CliRun.Result again = CliRun.run("keygen", "--out", key.toString());

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.out()).isEmpty();
        assertThat(again.err().lines()).singleElement().asString().contains(key.toString(), "not overwriting");
        assertThat(Files.readString(key)).isEqualTo(before);
    }

    @Test
    void refusesToOverwriteAPublicKeyWithoutItsPrivateHalf(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("id_ed25519");
        Files.writeString(dir.resolve("id_ed25519.pub"), "keep me\n");

        CliRun.Result run = CliRun.run("keygen", "--out", key.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(key).doesNotExist();
        assertThat(Files.readString(dir.resolve("id_ed25519.pub"))).isEqualTo("keep me\n");
    }
}
