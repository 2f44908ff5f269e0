package online.cloudtolocalllm.tunnel.transport.websocket;

import java.net.URI;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.testing.TransportConformanceSuite;

/** The conformance suite over WebSocket with the OkHttp client against the Netty server handlers. */
class OkHttpClientConformanceTest extends TransportConformanceSuite {
    private NettyTestHost host;

    @Override
    protected TunnelClientConfig.Builder configureClient(TunnelClientConfig.Builder builder) {
        return builder.transportId("okhttp");
    }

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
