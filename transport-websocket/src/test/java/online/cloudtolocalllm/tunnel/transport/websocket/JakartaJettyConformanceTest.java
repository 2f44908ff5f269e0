package online.cloudtolocalllm.tunnel.transport.websocket;

import java.net.URI;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.testing.TransportConformanceSuite;

/** The conformance suite with the tunnel mounted in an embedded Jetty through the Jakarta WebSocket adapter. */
class JakartaJettyConformanceTest extends TransportConformanceSuite {
    private JettyTestHost host;

    @Override
    protected URI expose(TunnelServer server) throws Exception {
        host = new JettyTestHost(server);
        return host.uri();
    }

    @Override
    protected void unexpose() throws Exception {
        if (host != null) {
            host.close();
        }
    }
}
