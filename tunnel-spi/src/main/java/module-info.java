/** Extension points of the tunnel: transports, authenticators, server hosts, agent forwarding, cipher suites, key stores, and how providers are chosen. */
module online.cloudtolocalllm.tunnel.spi {
    requires transitive online.cloudtolocalllm.tunnel.api;
    requires static transitive org.jspecify;

    exports online.cloudtolocalllm.tunnel.spi;

    uses online.cloudtolocalllm.tunnel.spi.TransportProvider;
    uses online.cloudtolocalllm.tunnel.spi.AuthenticatorProvider;
    uses online.cloudtolocalllm.tunnel.spi.ServerHostProvider;
    uses online.cloudtolocalllm.tunnel.spi.LocalAgentProvider;
    uses online.cloudtolocalllm.tunnel.spi.AgentGatewayProvider;
    uses online.cloudtolocalllm.tunnel.spi.CipherSuiteProvider;
    uses online.cloudtolocalllm.tunnel.spi.KeyStoreProvider;
}
