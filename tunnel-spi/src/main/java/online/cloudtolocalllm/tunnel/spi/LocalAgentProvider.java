package online.cloudtolocalllm.tunnel.spi;

/** Makes the {@link LocalAgent} a client forwards when {@code forwardAgent} is on. */
public interface LocalAgentProvider extends TunnelProvider<LocalAgentContext, LocalAgent> {
}
