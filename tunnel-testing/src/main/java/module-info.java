/** Test kit: transport conformance suite, in-memory transport, local test services and fixtures. */
module online.cloudtolocalllm.tunnel.testing {
    requires transitive online.cloudtolocalllm.tunnel.spi;
    requires online.cloudtolocalllm.tunnel.core;
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;
    requires org.bouncycastle.provider;
    requires jdk.httpserver;
    requires java.net.http;
    requires static org.jspecify;

    exports online.cloudtolocalllm.tunnel.testing;

    provides online.cloudtolocalllm.tunnel.spi.TransportProvider
            with online.cloudtolocalllm.tunnel.testing.InMemoryTransportProvider;
}
