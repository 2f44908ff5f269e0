/** What applications program against: tunnel client and server, their configuration, events, metrics and errors. */
module online.cloudtolocalllm.tunnel.api {
    requires static transitive org.jspecify;

    exports online.cloudtolocalllm.tunnel.api;

    uses online.cloudtolocalllm.tunnel.api.TunnelRuntime;
}
