package online.cloudtolocalllm.tunnel.core;

import org.apache.sshd.server.session.ServerSession;

/**
 * A registered service: which session serves it, and the address and port its {@code tcpip-forward} named, which
 * go back in each {@code forwarded-tcpip} open so the client can match it to its forward.
 */
record ServiceRoute(String user, String service, ServerSession session, String bindAddress, int bindPort) {
}
