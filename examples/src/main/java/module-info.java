/** Starter programs for the tunnel SDK: they program against the API only, the runtime comes from the path. */
module online.cloudtolocalllm.tunnel.examples {
    requires transitive online.cloudtolocalllm.tunnel.api;
    requires online.cloudtolocalllm.tunnel.agent;
    requires online.cloudtolocalllm.tunnel.failover;
    requires static org.jspecify;

    exports online.cloudtolocalllm.tunnel.examples;
}
