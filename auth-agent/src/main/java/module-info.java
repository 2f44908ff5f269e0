/**
 * SSH agent forwarding in pure Java: reaches the user's local agent (Unix socket, Windows named pipe, Pageant,
 * gpg-agent), guards what passes (policy, confirmation, audit, idle timeout), and gives the server each forwarded
 * agent as an Apache MINA SSHD {@code SshAgent} and, optionally, a Unix socket per user.
 */
module online.cloudtolocalllm.tunnel.agent {
    requires transitive online.cloudtolocalllm.tunnel.spi;
    requires transitive org.apache.sshd.osgi;
    requires org.slf4j;
    requires jdk.net;
    requires static org.jspecify;
    requires static com.sun.jna;
    requires static com.sun.jna.platform;

    exports online.cloudtolocalllm.tunnel.agent;

    provides online.cloudtolocalllm.tunnel.spi.LocalAgentProvider
            with online.cloudtolocalllm.tunnel.agent.AgentForwardingClient;
    provides online.cloudtolocalllm.tunnel.spi.AgentGatewayProvider
            with online.cloudtolocalllm.tunnel.agent.AgentForwardingServer;
}
