/**
 * {@link online.cloudtolocalllm.tunnel.failover.FailoverTunnelClient}: one live tunnel session at a time over a list
 * of endpoints (priority, then weight), the others health-checked through {@code /healthz}; it moves when the live
 * one is lost or drains, queues forward streams meanwhile, and fails back to a preferred endpoint once it has been
 * healthy for a while. Time and randomness are injectable, so the rules are tested without waiting.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.failover;

import org.jspecify.annotations.NullMarked;
