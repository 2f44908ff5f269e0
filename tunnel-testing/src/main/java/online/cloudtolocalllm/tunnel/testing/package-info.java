/**
 * The tunnel test kit: {@link online.cloudtolocalllm.tunnel.testing.TransportConformanceSuite} that every
 * transport passes, {@link online.cloudtolocalllm.tunnel.testing.InMemoryTransport}, local test services and
 * token fixtures.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.testing;

import org.jspecify.annotations.NullMarked;
