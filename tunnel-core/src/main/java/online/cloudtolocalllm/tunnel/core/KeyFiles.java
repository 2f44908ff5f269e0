package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Supplier;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/** SSH key files in OpenSSH format: generate, read, fingerprint. */
public final class KeyFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {
    }

    /** A new Ed25519 key pair. */
    public static KeyPair generateEd25519() {
        return HostKeyType.ED25519.generate();
    }

    /**
     * Writes {@code keys} to {@code file} (owner-only permissions) and its public half to {@code file.pub}.
     * Refuses to overwrite an existing file.
     */
    public static void write(KeyPair keys, Path file, String comment) {
        Path publicFile = publicKeyFile(file);
        for (Path existing : new Path[] {file, publicFile}) {
            if (Files.exists(existing)) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Key file already exists, not overwriting: " + existing);
            }
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                restrict(file);
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keys, comment, null, out);
            }
            Files.writeString(publicFile, publicKeyLine(keys.getPublic(), comment) + "\n", StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Key file already exists, not overwriting: " + e.getFile(), e);
        } catch (IOException | GeneralSecurityException e) {
            deleteQuietly(file);
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot write key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the caller reports the original failure
        }
    }

    /** Reads the first key pair in an OpenSSH (or PEM) private key file. */
    public static KeyPair read(Path file) {
        if (!Files.isReadable(file)) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot read key file " + file);
        }
        try {
            Iterator<KeyPair> keys = new FileKeyPairProvider(file).loadKeys(null).iterator();
            if (!keys.hasNext()) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "No key found in " + file);
            }
            return keys.next();
        } catch (RuntimeException e) {
            if (e instanceof TunnelException) {
                throw e;
            }
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot load key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code file}, creating it with a new key from {@code generator} first if it does not exist. */
    public static KeyPair readOrCreate(Path file, String comment, Supplier<KeyPair> generator) {
        if (!Files.exists(file)) {
            deleteQuietly(publicKeyFile(file));
            try {
                write(generator.get(), file, comment);
            } catch (TunnelException e) {
                if (!(e.getCause() instanceof FileAlreadyExistsException)) {
                    throw e;
                }
            }
        }
        return read(file);
    }

    /** The SHA-256 fingerprint as OpenSSH prints it: {@code SHA256:base64}. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    /** The {@code type base64 comment} line of an OpenSSH public key file. */
    public static String publicKeyLine(PublicKey key, String comment) {
        return PublicKeyEntry.toString(key) + (comment.isEmpty() ? "" : " " + comment);
    }

    public static Path publicKeyFile(Path privateKeyFile) {
        return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
    }

    private static void restrict(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }
}
