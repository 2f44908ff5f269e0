package online.cloudtolocalllm.tunnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenSshConfigTest {
    private final OpenSshConfig config = new OpenSshConfig(Path.of("/tmp/bench-ssh"), 42022, "alice");

    @Test
    void sshdListensOnLoopbackWithKeysOnlyAndTheLikeForLikeAlgorithms() {
        assertThat(config.sshdConfig().lines().toList()).contains(
                "Port 42022",
                "ListenAddress 127.0.0.1",
                "HostKey /tmp/bench-ssh/host_ed25519",
                "AuthorizedKeysFile /tmp/bench-ssh/authorized_keys",
                "PidFile /tmp/bench-ssh/sshd.pid",
                "PasswordAuthentication no",
                "AllowTcpForwarding yes",
                "Ciphers aes128-gcm@openssh.com",
                "KexAlgorithms curve25519-sha256",
                "UsePAM no");
    }

    @Test
    void sshForwardsWithTheSameAlgorithmsAndTrustsOnlyTheThrowAwayHostKey() {
        List<String> command = config.sshCommand(List.of("-R", "127.0.0.1:9000:127.0.0.1:80"), "ERROR");
        assertThat(command).startsWith("ssh", "-N", "-F", "/dev/null", "-i", "/tmp/bench-ssh/user_ed25519", "-p", "42022")
                .containsSubsequence("-o", "Ciphers=aes128-gcm@openssh.com")
                .containsSubsequence("-o", "KexAlgorithms=curve25519-sha256")
                .containsSubsequence("-o", "StrictHostKeyChecking=yes")
                .containsSubsequence("-o", "UserKnownHostsFile=/tmp/bench-ssh/known_hosts")
                .containsSubsequence("-o", "BatchMode=yes")
                .containsSubsequence("-R", "127.0.0.1:9000:127.0.0.1:80", "alice@127.0.0.1")
                .endsWith("alice@127.0.0.1");
    }

    @Test
    void knownHostsLineNamesThePortAndDropsTheKeyComment() {
        assertThat(config.knownHostsLine("ssh-ed25519 AAAAC3Nza root@host\n"))
                .isEqualTo("[127.0.0.1]:42022 ssh-ed25519 AAAAC3Nza\n");
    }
}
