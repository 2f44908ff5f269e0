package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files in OpenSSH format, and the authorized_keys file whose comments name users. */
class KeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesAKeyOnlyItsOwnerCanReadAndReadsItBack() throws Exception {
        KeyPair keys = KeyFiles.generateEd25519();
        Path file = dir.resolve("id_ed25519");
        KeyFiles.write(keys, file, "alice");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(Files.readString(KeyFiles.publicKeyFile(file))).startsWith("ssh-ed25519 ").contains(" alice");
        KeyPair read = KeyFiles.read(file);
        assertThat(KeyFiles.fingerprint(read.getPublic())).isEqualTo(KeyFiles.fingerprint(keys.getPublic())).startsWith("SHA256:");
        assertThatThrownBy(() -> KeyFiles.write(keys, file, "alice")).hasMessageContaining("not overwriting");
    }

    @Test
    void createsAHostKeyOnceAndKeepsIt() {
        Path file = dir.resolve("host");
        String first = KeyFiles.fingerprint(KeyFiles.readOrCreate(file, "host", KeyFiles::generateEd25519).getPublic());
        String second = KeyFiles.fingerprint(KeyFiles.readOrCreate(file, "host", KeyFiles::generateEd25519).getPublic());
        assertThat(second).isEqualTo(first);
    }

    @Test
    void authorizedKeysMapCommentsToUsersAndReloadWhenChanged() throws Exception {
        KeyPair alice = KeyFiles.generateEd25519();
        KeyPair bob = KeyFiles.generateEd25519();
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, KeyFiles.publicKeyLine(alice.getPublic(), "alice") + "\n");
        AuthorizedKeys keys = new AuthorizedKeys(file);

        assertThat(keys.authorizes("alice", alice.getPublic())).isTrue();
        assertThat(keys.authorizes("bob", alice.getPublic())).isFalse();
        assertThat(keys.authorizes("bob", bob.getPublic())).isFalse();

        Files.writeString(file, KeyFiles.publicKeyLine(bob.getPublic(), "bob") + "\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(keys.authorizes("bob", bob.getPublic())).isTrue();
        assertThat(keys.authorizes("alice", alice.getPublic())).as("revoked").isFalse();
    }

    @Test
    void readingAMissingKeyFileSaysWhich() {
        assertThatThrownBy(() -> KeyFiles.read(dir.resolve("nope"))).hasMessageContaining("TUNNEL_010").hasMessageContaining("nope");
    }
}
