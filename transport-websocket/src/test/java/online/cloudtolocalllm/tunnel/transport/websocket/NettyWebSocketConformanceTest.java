package online.cloudtolocalllm.tunnel.transport.websocket;

import java.net.URI;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.testing.TransportConformanceSuite;

/** The conformance suite over WebSocket: OkHttp client, Netty server handlers. */
class NettyWebSocketConformanceTest extends TransportConformanceSuite {
    private NettyTestHost host;

    @Override
    protected URI expose(TunnelServer server) throws Exception {
        host = new NettyTestHost(server);
        return host.uri("/tunnel");
    }

    @Override
    protected void unexpose() {
        if (host != null) {
            host.close();
        }
    }
}
