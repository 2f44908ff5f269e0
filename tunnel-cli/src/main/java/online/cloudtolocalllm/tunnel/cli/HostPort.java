package online.cloudtolocalllm.tunnel.cli;

import java.net.InetSocketAddress;

/** Parses {@code host:port} (an IPv6 host in brackets: {@code [::1]:8080}) and writes addresses the same way. */
final class HostPort {
    private HostPort() {
    }

    /** The address {@code value} names; throws {@link IllegalArgumentException} if it is not {@code host:port}. */
    static InetSocketAddress parse(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("Expected host:port, got '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = value.substring(colon + 1);
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("Expected a port from 0 to 65535 in '" + value + "'");
        }
        return new InetSocketAddress(host, Integer.parseInt(port));
    }

    static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
