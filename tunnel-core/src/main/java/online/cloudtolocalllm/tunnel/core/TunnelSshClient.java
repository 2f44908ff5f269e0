package online.cloudtolocalllm.tunnel.core;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.io.IoConnector;
import online.cloudtolocalllm.tunnel.spi.ClientTransport;

/** An sshd client whose connector dials through a {@link ClientTransport} instead of a TCP socket. */
final class TunnelSshClient extends SshClient {
    private final ClientTransport transport;
    private final TrafficCounters counters;

    TunnelSshClient(ClientTransport transport, TrafficCounters counters) {
        this.transport = transport;
        this.counters = counters;
    }

    @Override
    protected IoConnector createConnector() {
        return new FrameIoConnector(getSessionFactory(), transport, counters);
    }
}
