package online.cloudtolocalllm.tunnel.cli;

import java.net.URI;
import java.net.URISyntaxException;

/** Parses the URIs options take: absolute, with a host, such as {@code ws://host:8080} or {@code https://host/jwks}. */
final class AbsoluteUris {
    private AbsoluteUris() {
    }

    static URI parse(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, in the same words as a missing scheme or host
        }
        throw new IllegalArgumentException("Expected a URI with a scheme and a host, like ws://host:8080, got '" + value + "'");
    }
}
