package online.cloudtolocalllm.tunnel.core;

import java.util.List;
import java.util.Locale;

/** Which targets clients may open forward streams to: {@code host:port} patterns where {@code *} matches any. */
final class ForwardPolicy {
    private final List<String[]> patterns;

    ForwardPolicy(List<String> patterns) {
        this.patterns = patterns.stream().map(p -> {
            int colon = p.lastIndexOf(':');
            return new String[] {p.substring(0, colon).toLowerCase(Locale.ROOT), p.substring(colon + 1)};
        }).toList();
    }

    boolean allows(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        String p = Integer.toString(port);
        return patterns.stream().anyMatch(pattern -> matches(pattern[0], h) && (pattern[1].equals("*") || pattern[1].equals(p)));
    }

    private static boolean matches(String pattern, String host) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith("*.")) {
            return host.endsWith(pattern.substring(1));
        }
        return pattern.equals(host);
    }
}
