/**
 * The WebSocket transport: a client on OkHttp, server handlers on Netty that hosts put in their pipelines, and a
 * Jakarta WebSocket endpoint for applications that run Tomcat or Jetty.
 */
module online.cloudtolocalllm.tunnel.transport.websocket {
    requires transitive online.cloudtolocalllm.tunnel.spi;
    requires okhttp3;
    requires transitive io.netty.codec.http;
    requires io.netty.handler;
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires io.netty.common;
    requires io.netty.codec;
    requires io.netty.transport.classes.epoll;
    requires static jakarta.websocket;
    requires static jakarta.websocket.client;
    requires static jakarta.servlet;
    requires org.slf4j;
    requires static org.jspecify;

    exports online.cloudtolocalllm.tunnel.transport.websocket;

    provides online.cloudtolocalllm.tunnel.spi.TransportProvider
            with online.cloudtolocalllm.tunnel.transport.websocket.NettyTransportProvider,
                 online.cloudtolocalllm.tunnel.transport.websocket.OkHttpTransportProvider;
}
