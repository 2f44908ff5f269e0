package online.cloudtolocalllm.tunnel.spi;

import java.util.Objects;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;

/**
 * What a client's {@link LocalAgent} is created with.
 *
 * @param config the client's configuration ({@link TunnelClientConfig#agent()} names the agent, if given)
 * @param user the tunnel user, for the audit record
 */
public record LocalAgentContext(TunnelClientConfig config, String user) {
    public LocalAgentContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(user, "user");
    }
}
