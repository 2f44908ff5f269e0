package online.cloudtolocalllm.tunnel.spi;

import java.net.SocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The request that opens a tunnel connection (a WebSocket upgrade), as the server host saw it.
 *
 * @param path the request path, such as {@code /ssh}
 * @param query decoded query parameters
 * @param headers request headers; names are matched without regard to case
 * @param remoteAddress the peer
 */
public record UpgradeRequest(String path, Map<String, List<String>> query, Map<String, List<String>> headers,
        SocketAddress remoteAddress) {

    public UpgradeRequest {
        query = Map.copyOf(query);
        TreeMap<String, List<String>> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> caseless.put(name, List.copyOf(values)));
        headers = java.util.Collections.unmodifiableMap(caseless);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The token from {@code Authorization: Bearer ...}, else from {@code ?token=}. */
    public Optional<String> bearerToken() {
        Optional<String> header = header("Authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim());
        return header.isPresent() ? header : queryParameter("token");
    }

    @Override
    public String toString() {
        return "UpgradeRequest[" + path + " from " + remoteAddress + ", headers=" + headers.keySet().stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).toList() + "]";
    }
}
