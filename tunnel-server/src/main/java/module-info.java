/**
 * The standalone server runtime: one Netty port that takes WebSocket tunnel upgrades, raw SSH, and HTTP ingress
 * to the services behind the tunnels. Found through {@link online.cloudtolocalllm.tunnel.spi.ServerHostProvider}
 * when a server is configured with a listen address.
 */
module online.cloudtolocalllm.tunnel.server {
    requires online.cloudtolocalllm.tunnel.spi;
    requires online.cloudtolocalllm.tunnel.transport.websocket;
    requires online.cloudtolocalllm.tunnel.pool;
    requires io.netty.codec.http;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.common;
    requires org.slf4j;
    requires static org.jspecify;

    provides online.cloudtolocalllm.tunnel.spi.ServerHostProvider
            with online.cloudtolocalllm.tunnel.server.NettyServerHostProvider;
}
