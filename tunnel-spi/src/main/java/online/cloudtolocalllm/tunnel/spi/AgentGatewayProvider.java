package online.cloudtolocalllm.tunnel.spi;

import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;

/** Makes the server's {@link AgentGateway} when agent forwarding is allowed. */
public interface AgentGatewayProvider extends TunnelProvider<TunnelServerConfig, AgentGateway> {
}
