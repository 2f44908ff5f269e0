package online.cloudtolocalllm.tunnel.transport.websocket;

import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.EnumSet;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** An embedded Jetty application that mounts the tunnel endpoint at {@code /app/tunnel}, as a user's app would. */
final class JettyTestHost implements AutoCloseable {
    private final Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));

    JettyTestHost(TunnelServer server) throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        JakartaWebSocketServletContainerInitializer.configure(context,
                (servletContext, container) -> container.addEndpoint(JakartaTunnelEndpoint.config(server, "/tunnel")));
        jetty.setHandler(context);
        jetty.start();
        // Jetty puts its WebSocket upgrade filter first when the context starts; the 401 filter must run before it
        FilterHolder auth = new FilterHolder(new TunnelUpgradeFilter(server));
        auth.setName("tunnel-auth");
        FilterMapping mapping = new FilterMapping();
        mapping.setFilterName("tunnel-auth");
        mapping.setPathSpec("/tunnel");
        mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
        context.getServletHandler().prependFilter(auth);
        context.getServletHandler().prependFilterMapping(mapping);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/app/tunnel");
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
