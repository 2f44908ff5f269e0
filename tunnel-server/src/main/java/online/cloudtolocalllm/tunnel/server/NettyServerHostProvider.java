package online.cloudtolocalllm.tunnel.server;

import online.cloudtolocalllm.tunnel.spi.ServerHost;
import online.cloudtolocalllm.tunnel.spi.ServerHostContext;
import online.cloudtolocalllm.tunnel.spi.ServerHostProvider;

/** The Netty server host for servers with a listen address. */
public final class NettyServerHostProvider implements ServerHostProvider {

    /** For {@link java.util.ServiceLoader}. */
    public NettyServerHostProvider() {
    }

    @Override
    public String id() {
        return "netty";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public ServerHost create(ServerHostContext context) {
        return new NettyServerHost(context);
    }
}
