package online.cloudtolocalllm.tunnel.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named service that a client exposes through its tunnel, such as {@code llm -> 127.0.0.1:11434}.
 *
 * @param name the name the server routes by: letters, digits, '.', '_' and '-', at most 63 characters
 * @param host the host the client connects to for each stream
 * @param port the port the client connects to
 */
public record ExposedService(String name, String host, int port) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public ExposedService {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        requireValidName(name);
        if (host.isBlank()) {
            throw new IllegalArgumentException("Service '" + name + "' has an empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Service '" + name + "' has port " + port + ", expected 1-65535");
        }
    }

    /** Parses {@code name=host:port}, the form the CLI takes. */
    public static ExposedService parse(String spec) {
        int eq = spec.indexOf('=');
        int colon = spec.lastIndexOf(':');
        if (eq <= 0 || colon < eq) {
            throw new IllegalArgumentException("Expected name=host:port, got '" + spec + "'");
        }
        String host = spec.substring(eq + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new ExposedService(spec.substring(0, eq), host, Integer.parseInt(spec.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Expected a port number in '" + spec + "'", e);
        }
    }

    /** Throws if {@code name} is not a valid service name. */
    public static String requireValidName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid service name '" + name
                    + "': use letters, digits, '.', '_' or '-', at most 63 characters, starting with a letter or digit");
        }
        return name;
    }

    @Override
    public String toString() {
        return name + "=" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
