package online.cloudtolocalllm.tunnel.core;

import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelRuntime;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;

/** The runtime {@link TunnelClient#create} and {@link TunnelServer#create} find on the path. */
public final class CoreRuntime implements TunnelRuntime {

    @Override
    public TunnelClient newClient(TunnelClientConfig config) {
        return config.sessions() == 1 ? new DefaultTunnelClient(config) : new LanedTunnelClient(config);
    }

    @Override
    public TunnelServer newServer(TunnelServerConfig config) {
        return new DefaultTunnelServer(config);
    }
}
