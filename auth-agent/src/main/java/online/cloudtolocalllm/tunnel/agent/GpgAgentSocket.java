package online.cloudtolocalllm.tunnel.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Where gpg-agent's SSH socket is, as {@code gpgconf --list-dirs agent-ssh-socket} says: asked of gpgconf when it
 * is installed, else worked out the way GnuPG does it (the socket directory under {@code /run/user/<uid>/gnupg},
 * with a {@code d.<hash>} subdirectory for a non-default GNUPGHOME, or GNUPGHOME itself when there is no such
 * runtime directory).
 */
final class GpgAgentSocket {
    static final String SOCKET_NAME = "S.gpg-agent.ssh";
    private static final String ZBASE32 = "ybndrfg8ejkmcpqxot1uwisza345h769";

    private GpgAgentSocket() {
    }

    /** Asks gpgconf; empty if it is not installed or fails. */
    @FunctionalInterface
    interface GpgConf {
        Optional<String> agentSshSocket(Map<String, String> environment);

        /** Runs the real {@code gpgconf}, for at most five seconds. */
        static GpgConf system() {
            return environment -> {
                ProcessBuilder builder = new ProcessBuilder(List.of("gpgconf", "--list-dirs", "agent-ssh-socket"))
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
                String home = environment.get("GNUPGHOME");
                if (home == null) {
                    builder.environment().remove("GNUPGHOME");
                } else {
                    builder.environment().put("GNUPGHOME", home);
                }
                Process process = null;
                try {
                    process = builder.start();
                    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                    if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0 || out.isEmpty()) {
                        return Optional.empty();
                    }
                    return Optional.of(out.lines().findFirst().orElse(out).replace("%3a", ":").replace("%25", "%"));
                } catch (IOException e) {
                    return Optional.empty();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                } finally {
                    if (process != null) {
                        process.destroyForcibly();
                    }
                }
            };
        }
    }

    /** gpg-agent's SSH socket for {@code environment}: gpgconf's answer, else GnuPG's convention. */
    static Path find(Map<String, String> environment, GpgConf gpgconf, Path userHome, @Nullable Path runtimeDir) {
        return gpgconf.agentSshSocket(environment).map(Path::of)
                .orElseGet(() -> byConvention(environment, userHome, runtimeDir));
    }

    /** Where GnuPG puts the socket without asking gpgconf. */
    static Path byConvention(Map<String, String> environment, Path userHome, @Nullable Path runtimeDir) {
        Path defaultHome = userHome.resolve(".gnupg").toAbsolutePath().normalize();
        String configured = environment.get("GNUPGHOME");
        Path home = configured == null || configured.isBlank() ? defaultHome : Path.of(configured).toAbsolutePath().normalize();
        if (runtimeDir == null || !Files.isDirectory(runtimeDir)) {
            return home.resolve(SOCKET_NAME);
        }
        Path socketDir = runtimeDir.resolve("gnupg");
        if (!home.equals(defaultHome)) {
            socketDir = socketDir.resolve("d." + homeHash(home.toString()));
        }
        return socketDir.resolve(SOCKET_NAME);
    }

    /** The runtime directory GnuPG uses for this process's user: {@code /run/user/<uid>}, on Linux. */
    static @Nullable Path runtimeDir() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Path.of("/run/user", String.valueOf(uid));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** GnuPG's name for a non-default home's socket directory: z-base-32 of the first 15 bytes of its SHA-1. */
    static String homeHash(String home) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(home.getBytes(StandardCharsets.UTF_8));
            StringBuilder out = new StringBuilder(24);
            int bits = 0;
            int value = 0;
            for (int i = 0; i < 15; i++) {
                value = (value << 8) | (sha1[i] & 0xff);
                bits += 8;
                while (bits >= 5) {
                    out.append(ZBASE32.charAt((value >> (bits - 5)) & 31));
                    bits -= 5;
                }
            }
            return out.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }
}
