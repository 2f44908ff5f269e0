/**
 * Extension points. A provider is a factory ({@link online.cloudtolocalllm.tunnel.spi.TunnelProvider}), chosen by
 * {@link online.cloudtolocalllm.tunnel.spi.Providers}: an instance given to the builder wins, else the configured id,
 * else the highest-priority available provider.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.spi;

import org.jspecify.annotations.NullMarked;
