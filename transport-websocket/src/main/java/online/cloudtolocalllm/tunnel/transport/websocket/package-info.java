/**
 * The WebSocket transport. Clients dial with {@link online.cloudtolocalllm.tunnel.transport.websocket.OkHttpTransportProvider};
 * Netty hosts upgrade requests with {@link online.cloudtolocalllm.tunnel.transport.websocket.NettyWebSocketUpgrade};
 * Tomcat or Jetty applications mount {@link online.cloudtolocalllm.tunnel.transport.websocket.JakartaTunnelEndpoint}.
 * SSH travels as raw bytes in binary frames, exactly as Phase 1 clients send it.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.transport.websocket;

import org.jspecify.annotations.NullMarked;
