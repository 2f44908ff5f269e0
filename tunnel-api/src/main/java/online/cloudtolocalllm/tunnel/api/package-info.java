/**
 * The tunnel API: {@link online.cloudtolocalllm.tunnel.api.TunnelClient} runs beside a private service and dials
 * out; {@link online.cloudtolocalllm.tunnel.api.TunnelServer} accepts clients and reaches their services.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.api;

import org.jspecify.annotations.NullMarked;
