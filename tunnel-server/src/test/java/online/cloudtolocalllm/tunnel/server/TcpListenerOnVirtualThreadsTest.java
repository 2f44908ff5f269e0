package online.cloudtolocalllm.tunnel.server;

import online.cloudtolocalllm.tunnel.spi.ServerHostProvider;

/**
 * {@link TcpListenerTest}'s cases with a host that leaves TCP listeners to the server (as a host without Netty
 * does): the server then listens and bridges on virtual threads of its own.
 */
class TcpListenerOnVirtualThreadsTest extends TcpListenerTest {
    @Override
    ServerHostProvider hostProvider() {
        return provider(NettyHostWithout::new);
    }

    @Override
    int expectedHostAccepts(int connections) {
        return 0;
    }
}
