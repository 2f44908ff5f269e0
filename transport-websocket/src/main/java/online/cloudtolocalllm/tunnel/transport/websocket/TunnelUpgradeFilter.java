package online.cloudtolocalllm.tunnel.transport.websocket;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.spi.TunnelAcceptor;
import online.cloudtolocalllm.tunnel.spi.UpgradeRequest;

/**
 * A servlet filter for the tunnel path that refuses an upgrade with a bad token as HTTP 401 (with the JSON error
 * body TUNNEL_002 or TUNNEL_003) before the WebSocket container sees it.
 */
public final class TunnelUpgradeFilter implements Filter {
    private final TunnelAcceptor acceptor;

    public TunnelUpgradeFilter(TunnelServer server) {
        this.acceptor = TunnelAcceptor.of(server);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer
                && "websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
            try {
                acceptor.authenticate(describe(http));
            } catch (TunnelException e) {
                byte[] body = e.toJson().getBytes(StandardCharsets.UTF_8);
                answer.setStatus(e.code().httpStatus());
                answer.setContentType("application/json");
                answer.setContentLength(body.length);
                answer.setHeader("Connection", "close");
                if (e.code().httpStatus() == 401) {
                    answer.setHeader("WWW-Authenticate", "Bearer");
                }
                answer.getOutputStream().write(body);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static UpgradeRequest describe(HttpServletRequest http) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(http.getHeaderNames())) {
            headers.put(name, Collections.list(http.getHeaders(name)));
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        http.getParameterMap().forEach((name, values) -> query.put(name, new ArrayList<>(List.of(values))));
        return new UpgradeRequest(http.getRequestURI(), query, headers,
                new InetSocketAddress(http.getRemoteAddr(), http.getRemotePort()));
    }
}
