package online.cloudtolocalllm.tunnel.agent;

import java.time.Duration;
import online.cloudtolocalllm.tunnel.api.ForwardedAgent;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

/** What server-side code does with a forwarded agent: logs in to an SSH server with it (sshd's client) and runs a command. */
final class RemoteLogin {
    static final String USER = System.getProperty("user.name");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private RemoteLogin() {
    }

    /** Runs {@code command} on the sshd at {@code port}, authenticating only with {@code agent}'s keys. */
    static String run(ForwardedAgent agent, int port, String command) throws Exception {
        SshClient ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier((session, address, key) -> true); // the test sshd is on loopback, just started
        ssh.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        ssh.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        ssh.setAgentFactory(ForwardedSshAgent.factory(agent));
        ssh.start();
        try (ssh; ClientSession session = ssh.connect(USER, "127.0.0.1", port).verify(WAIT).getSession()) {
            session.auth().verify(WAIT);
            return session.executeRemoteCommand(command);
        }
    }
}
