package online.cloudtolocalllm.tunnel.spi;

/** Makes the {@link ServerHost} that a server with a listen address runs on. */
public interface ServerHostProvider extends TunnelProvider<ServerHostContext, ServerHost> {
}
