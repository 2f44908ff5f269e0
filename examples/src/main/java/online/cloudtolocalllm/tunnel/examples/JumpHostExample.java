package online.cloudtolocalllm.tunnel.examples;

import java.io.IOException;
import java.time.Duration;
import online.cloudtolocalllm.tunnel.agent.ForwardedSshAgent;
import online.cloudtolocalllm.tunnel.api.ForwardedAgent;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Server-side code logging in to another SSH server with a user's forwarded agent (the jump-host case): the
 * user's keys sign on the user's machine, the server never holds them.
 */
public final class JumpHostExample {
    private JumpHostExample() {
    }

    /** Runs {@code command} as {@code login} on {@code host:port} (whose host key has {@code hostKey}) with {@code user}'s agent. */
    public static String run(TunnelServer server, String user, String login, String host, int port, String hostKey,
            String command) throws IOException {
        ForwardedAgent agent = server.forwardedAgent(user)
                .orElseThrow(() -> new IllegalStateException(user + "'s tunnel forwards no agent"));
        try (SshClient ssh = SshClient.setUpDefaultClient()) {
            ssh.setAgentFactory(ForwardedSshAgent.factory(agent));
            ssh.setServerKeyVerifier((session, address, key) -> KeyUtils.getFingerPrint(key).equals(hostKey));
            ssh.start();
            try (ClientSession session = ssh.connect(login, host, port).verify(Duration.ofSeconds(10)).getSession()) {
                session.auth().verify(Duration.ofSeconds(10));
                return session.executeRemoteCommand(command);
            }
        }
    }
}
