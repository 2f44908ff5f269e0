package online.cloudtolocalllm.tunnel.server;

import java.net.URI;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.testing.TransportConformanceSuite;

/** The conformance suite against the standalone server: its one Netty port, WebSocket upgrade at /tunnel. */
class StandaloneServerConformanceTest extends TransportConformanceSuite {

    @Override
    protected TunnelServerConfig.Builder configure(TunnelServerConfig.Builder builder) {
        return builder.listen("127.0.0.1", 0);
    }

    @Override
    protected URI expose(TunnelServer server) {
        return URI.create("ws://127.0.0.1:" + server.address().orElseThrow().getPort() + "/tunnel");
    }
}
