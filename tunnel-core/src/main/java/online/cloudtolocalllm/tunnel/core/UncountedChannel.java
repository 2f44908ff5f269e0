package online.cloudtolocalllm.tunnel.core;

/** Marks a channel that is not a stream (agent forwarding's), so that stream counters and graceful shutdown skip it. */
interface UncountedChannel {
}
