package online.cloudtolocalllm.tunnel.failover;

import java.net.URI;
import java.util.Objects;

/**
 * A tunnel server a failover client may use.
 *
 * @param uri the server's tunnel endpoint, such as {@code ws://a.example.com:8080}
 * @param priority lower is preferred: the client uses the best healthy priority and fails back to it
 * @param weight among healthy endpoints of equal priority, the share of clients each one gets (at least 1)
 */
public record Endpoint(URI uri, int priority, int weight) {

    public Endpoint {
        Objects.requireNonNull(uri, "uri");
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("An endpoint needs a scheme and a host, like ws://host:8080: " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("An endpoint URI has no fragment (use Endpoint.parse for URL#weight=N): " + uri);
        }
        if (priority < 0) {
            throw new IllegalArgumentException("priority must be 0 or more, was " + priority + " for " + uri);
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, was " + weight + " for " + uri);
        }
    }

    /**
     * Parses {@code URL}, {@code URL#weight=3}, {@code URL#priority=1} or {@code URL#priority=1&weight=3}; what the
     * fragment leaves out is {@code defaultPriority} and weight 1.
     */
    public static Endpoint parse(String spec, int defaultPriority) {
        int hash = spec.indexOf('#');
        URI uri = URI.create(hash < 0 ? spec : spec.substring(0, hash));
        int priority = defaultPriority;
        int weight = 1;
        if (hash >= 0) {
            for (String setting : spec.substring(hash + 1).split("&")) {
                String[] keyValue = setting.split("=", 2);
                if (keyValue.length != 2) {
                    throw new IllegalArgumentException("Expected weight=N or priority=N after '#', got '" + setting + "' in " + spec);
                }
                int value = number(keyValue[1], spec);
                switch (keyValue[0].strip()) {
                    case "weight" -> weight = value;
                    case "priority" -> priority = value;
                    default -> throw new IllegalArgumentException("Unknown endpoint setting '" + keyValue[0]
                            + "' in " + spec + ": only weight and priority");
                }
            }
        }
        return new Endpoint(uri, priority, weight);
    }

    private static int number(String text, String spec) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a number: '" + text + "' in " + spec, e);
        }
    }

    /** The server's health endpoint: {@code /healthz} on the same host and port, over HTTP(S). */
    public URI healthUri() {
        String scheme = uri.getScheme().equalsIgnoreCase("wss") || uri.getScheme().equalsIgnoreCase("https") ? "https" : "http";
        return URI.create(scheme + "://" + uri.getRawAuthority() + "/healthz");
    }

    @Override
    public String toString() {
        return uri + "#priority=" + priority + "&weight=" + weight;
    }
}
