package online.cloudtolocalllm.tunnel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery order: the explicit location, SSH_AUTH_SOCK, gpg-agent's SSH socket; on Windows the OpenSSH agent's
 * pipe, then Pageant's. GnuPG's socket is where gpgconf says, or where GnuPG's own rules put it.
 */
class AgentDiscoveryTest {
    @TempDir
    Path dir;

    private AgentDiscovery.Environment unix(Map<String, String> variables, Optional<String> gpgconfAnswer, Set<String> existing) {
        return new AgentDiscovery.Environment(variables, false, "alice", dir, null, environment -> gpgconfAnswer, List::of,
                existing::contains);
    }

    private AgentDiscovery.Environment windows(List<String> pipes, Set<String> existing) {
        return new AgentDiscovery.Environment(Map.of(), true, "alice", dir, null, environment -> Optional.empty(), () -> pipes,
                existing::contains);
    }

    @Test
    void anExplicitLocationWinsAndPipesAreRecognised() {
        AgentDiscovery.Environment environment = unix(Map.of("SSH_AUTH_SOCK", "/from/env"), Optional.empty(), Set.of());
        assertThat(AgentDiscovery.find("/given.sock", environment)).isEqualTo(AgentConnector.unixSocket(Path.of("/given.sock")));
        assertThat(AgentDiscovery.find("\\\\.\\pipe\\openssh-ssh-agent", environment).location()).isEqualTo("\\\\.\\pipe\\openssh-ssh-agent");
        assertThat(AgentDiscovery.find("//./pipe/pageant.alice.1", environment)).isInstanceOf(NamedPipeConnector.class);
        assertThat(AgentDiscovery.find(null, environment)).isEqualTo(AgentConnector.unixSocket(Path.of("/from/env")));
    }

    @Test
    void gpgAgentIsNextWhenItsSocketExists() {
        String socket = "/run/user/1000/gnupg/S.gpg-agent.ssh";
        assertThat(AgentDiscovery.find(null, unix(Map.of(), Optional.of(socket), Set.of(socket))))
                .isEqualTo(AgentConnector.unixSocket(Path.of(socket)));
        assertThatThrownBy(() -> AgentDiscovery.find(null, unix(Map.of(), Optional.of(socket), Set.of())))
                .isInstanceOf(TunnelException.class)
                .hasMessage("TUNNEL_013: No SSH agent to forward: looked at SSH_AUTH_SOCK (not set), gpg-agent at " + socket
                        + "; start ssh-agent (or gpg-agent with enable-ssh-support) or name the agent with --agent")
                .satisfies(e -> assertThat(((TunnelException) e).code()).isEqualTo(ErrorCode.AGENT_NOT_CONFIGURED));
    }

    @Test
    void onWindowsTheOpenSshPipeComesBeforePageant() {
        assertThat(AgentDiscovery.find(null, windows(List.of("pageant.alice.abc"), Set.of(AgentDiscovery.WINDOWS_OPENSSH_PIPE))).location())
                .isEqualTo(AgentDiscovery.WINDOWS_OPENSSH_PIPE);
        assertThat(AgentDiscovery.find(null, windows(List.of("other", "pageant.bob.1", "pageant.alice.5f2e"), Set.of())).location())
                .isEqualTo("\\\\.\\pipe\\pageant.alice.5f2e");
        assertThatThrownBy(() -> AgentDiscovery.find(null, windows(List.of("pageant.bob.1"), Set.of())))
                .hasMessageContaining("Pageant's pipe \\\\.\\pipe\\pageant.alice.*");
    }

    @Test
    void gnupgsSocketDirectoryRulesMatchGnupg() throws Exception {
        // computed by GnuPG 2.2.40's gpgconf with /run/user/0 present
        assertThat(GpgAgentSocket.homeHash("/tmp/gpgt")).isEqualTo("ag8tymari5g8kb4ptm54dme5");
        assertThat(GpgAgentSocket.homeHash("/home/someone/.gnupg-alt")).isEqualTo("rxzj591m37shspiw8i8gkss7");

        Path home = dir.resolve("home");
        Path runtime = Files.createDirectories(dir.resolve("run-user-1000"));
        assertThat(GpgAgentSocket.byConvention(Map.of(), home, runtime)).isEqualTo(runtime.resolve("gnupg/S.gpg-agent.ssh"));
        assertThat(GpgAgentSocket.byConvention(Map.of("GNUPGHOME", "/tmp/gpgt"), home, runtime))
                .isEqualTo(runtime.resolve("gnupg/d.ag8tymari5g8kb4ptm54dme5/S.gpg-agent.ssh"));
        assertThat(GpgAgentSocket.byConvention(Map.of("GNUPGHOME", "/tmp/gpgt"), home, dir.resolve("absent")))
                .isEqualTo(Path.of("/tmp/gpgt/S.gpg-agent.ssh"));
    }

    @Test
    void gpgconfItselfAgreesWithTheConvention() throws Exception {
        Path gnupgHome = dir.resolve("gnupg");
        Optional<String> asked = GpgAgentSocket.GpgConf.system().agentSshSocket(Map.of("GNUPGHOME", gnupgHome.toString()));
        assertThat(asked).as("gpgconf (package gnupg) is installed by scripts/setup").isPresent();
        assertThat(Path.of(asked.get())).isEqualTo(GpgAgentSocket.byConvention(Map.of("GNUPGHOME", gnupgHome.toString()),
                Path.of(System.getProperty("user.home")), GpgAgentSocket.runtimeDir()));
    }
}
