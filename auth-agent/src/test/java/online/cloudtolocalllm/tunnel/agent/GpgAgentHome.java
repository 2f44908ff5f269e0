package online.cloudtolocalllm.tunnel.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A temporary GNUPGHOME whose gpg-agent has {@code enable-ssh-support}, started with {@code gpgconf --launch} and
 * stopped with {@code gpgconf --kill} on close. Its pinentry is a script that answers every passphrase prompt, so
 * that {@code ssh-add} can hand it keys without a terminal.
 */
final class GpgAgentHome implements AutoCloseable {
    private final Path home;

    private GpgAgentHome(Path home) {
        this.home = home;
    }

    static GpgAgentHome start(Path home) throws IOException, InterruptedException {
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path pinentry = home.resolve("pinentry.sh");
        Files.writeString(pinentry, String.join("\n",
                "#!/bin/sh",
                "echo 'OK ready'",
                "while read -r cmd rest; do",
                "  case \"$cmd\" in",
                "    GETPIN) echo 'D agent-test-passphrase'; echo OK;;",
                "    BYE) echo OK; exit 0;;",
                "    *) echo OK;;",
                "  esac",
                "done",
                ""));
        Files.setPosixFilePermissions(pinentry, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(home.resolve("gpg-agent.conf"), "enable-ssh-support\npinentry-program " + pinentry + "\n");
        GpgAgentHome gpg = new GpgAgentHome(home);
        try {
            Tools.runOk(List.of("gpgconf", "--launch", "gpg-agent"), gpg.environment());
            return gpg;
        } catch (RuntimeException | Error e) {
            gpg.close();
            throw e;
        }
    }

    Path home() {
        return home;
    }

    Map<String, String> environment() {
        return Map.of("GNUPGHOME", home.toString());
    }

    /** gpg-agent's SSH socket, as gpgconf reports it. */
    Path sshSocket() throws IOException, InterruptedException {
        return Path.of(Tools.runOk(List.of("gpgconf", "--list-dirs", "agent-ssh-socket"), environment()).out().strip());
    }

    /** Gives the private key {@code file} to gpg-agent with ssh-add, then deletes the file. */
    void addAndForget(Path file) throws IOException, InterruptedException {
        Tools.runOk(List.of("ssh-add", file.toString()), Map.of("GNUPGHOME", home.toString(), "SSH_AUTH_SOCK", sshSocket().toString()));
        Files.delete(file);
    }

    @Override
    public void close() {
        try {
            Tools.run(List.of("gpgconf", "--kill", "gpg-agent"), environment());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
