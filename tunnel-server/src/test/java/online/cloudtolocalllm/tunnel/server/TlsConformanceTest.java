package online.cloudtolocalllm.tunnel.server;

import java.net.URI;
import online.cloudtolocalllm.tunnel.api.TlsSettings;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.testing.TestCertificates;
import online.cloudtolocalllm.tunnel.testing.TransportConformanceSuite;

/** The conformance suite over wss:// with the default (Netty) client, against the standalone server's TLS port. */
class TlsConformanceTest extends TransportConformanceSuite {
    private TestCertificates ca;

    private TestCertificates ca() {
        if (ca == null) {
            ca = TestCertificates.authority(dataDir, "conformance");
        }
        return ca;
    }

    @Override
    protected TunnelServerConfig.Builder configure(TunnelServerConfig.Builder builder) {
        TestCertificates.Issued certificate = ca().issue("server", "127.0.0.1");
        return builder.listen("127.0.0.1", 0).tls(TlsSettings.pem(certificate.chainFile(), certificate.keyFile()).build());
    }

    @Override
    protected TunnelClientConfig.Builder configureClient(TunnelClientConfig.Builder builder) {
        return builder.transportId("netty").tlsTrust(ca().caFile());
    }

    @Override
    protected URI expose(TunnelServer server) {
        return URI.create("wss://127.0.0.1:" + server.address().orElseThrow().getPort() + "/tunnel");
    }
}
