/**
 * SSH agent forwarding. Client side: {@link online.cloudtolocalllm.tunnel.agent.AgentForwardingClient} finds the
 * local agent and answers the server's agent channels from it. Server side:
 * {@link online.cloudtolocalllm.tunnel.agent.AgentForwardingServer} guards each forwarded agent and can expose it as
 * a Unix socket per user; {@link online.cloudtolocalllm.tunnel.agent.ForwardedSshAgent} hands it to sshd clients.
 * Both sides apply an {@link online.cloudtolocalllm.tunnel.agent.AgentPolicy} and record every operation in an
 * {@link online.cloudtolocalllm.tunnel.agent.AgentAudit}.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.agent;

import org.jspecify.annotations.NullMarked;
