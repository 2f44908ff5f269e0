package online.cloudtolocalllm.tunnel.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where an ingress request goes: {@code /t/{user}/{service}/{rest}?query} names the user's service and the path
 * ({@code /{rest}?query}) the local service sees.
 *
 * @param user the tunnel's user
 * @param service the service name
 * @param path the path and query for the local service, always starting with {@code /}
 */
record IngressTarget(String user, String service, String path) {
    static final String PREFIX = "/t/";

    /** The target of {@code uri}, if it is an ingress path (one whose user name has no control characters). */
    static Optional<IngressTarget> parse(String uri) {
        if (!uri.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int userEnd = uri.indexOf('/', PREFIX.length());
        if (userEnd <= PREFIX.length()) {
            return Optional.empty();
        }
        int serviceEnd = firstOf(uri, userEnd + 1);
        if (serviceEnd == userEnd + 1) {
            return Optional.empty();
        }
        String user = decode(uri.substring(PREFIX.length(), userEnd));
        if (hasControlCharacter(user)) {
            return Optional.empty(); // no user is named so, and the name goes into a header of the forwarded request
        }
        String service = uri.substring(userEnd + 1, serviceEnd);
        String rest = uri.substring(serviceEnd);
        if (rest.isEmpty() || rest.charAt(0) == '?') {
            rest = "/" + rest;
        }
        return Optional.of(new IngressTarget(user, service, rest));
    }

    /** The prefix the local service is mounted under, for {@code X-Forwarded-Prefix}. */
    String prefix() {
        return PREFIX + user + "/" + service;
    }

    /** Percent-decodes {@code segment}; most have nothing to decode, and are not copied then. */
    private static String decode(String segment) {
        return segment.indexOf('%') < 0 && segment.indexOf('+') < 0
                ? segment : URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static int firstOf(String uri, int from) {
        for (int i = from; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '?') {
                return i;
            }
        }
        return uri.length();
    }
}
