/**
 * The Netty server host. Each connection on the one port is sniffed: an SSH banner goes straight to the tunnel
 * acceptor, HTTP goes to {@link online.cloudtolocalllm.tunnel.server.HttpRouter}, which upgrades tunnel
 * connections, answers health checks and proxies ingress requests ({@code /t/{user}/{service}/...}) through the
 * tunnels without buffering bodies.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.server;

import org.jspecify.annotations.NullMarked;
