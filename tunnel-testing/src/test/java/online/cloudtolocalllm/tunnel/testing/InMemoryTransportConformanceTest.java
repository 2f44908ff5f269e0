package online.cloudtolocalllm.tunnel.testing;

import java.net.URI;
import java.util.UUID;
import online.cloudtolocalllm.tunnel.api.TunnelServer;

/** The conformance suite over the in-memory transport: the engine itself, with no network in the way. */
class InMemoryTransportConformanceTest extends TransportConformanceSuite {
    private final String name = "conformance-" + UUID.randomUUID();

    @Override
    protected URI expose(TunnelServer server) {
        return InMemoryTransport.bind(name, server);
    }

    @Override
    protected void unexpose() {
        InMemoryTransport.unbind(name);
    }
}
