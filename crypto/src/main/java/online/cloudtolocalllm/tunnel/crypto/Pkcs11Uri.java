package online.cloudtolocalllm.tunnel.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.jspecify.annotations.Nullable;

/**
 * A key in a PKCS#11 token as an RFC 7512 URI:
 * {@code pkcs11:slot-id=N;object=LABEL?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/run/pin}.
 * Without {@code slot-id} the first slot holding a token is used; the PIN comes from {@code pin-value} or the first
 * line of the file {@code pin-source}.
 *
 * @param object the key's label (its alias in the token's key store)
 * @param slotId the slot, or null for the first slot with a token
 * @param modulePath the PKCS#11 library
 * @param pin the user PIN
 */
record Pkcs11Uri(String object, @Nullable Long slotId, Path modulePath, char[] pin) {
    private static final Set<String> PATH_ATTRIBUTES = Set.of("object", "slot-id");
    private static final Set<String> QUERY_ATTRIBUTES = Set.of("module-path", "pin-value", "pin-source");

    static Pkcs11Uri parse(URI uri) {
        if (!"pkcs11".equalsIgnoreCase(uri.getScheme())) {
            throw invalid(uri, "the scheme is not pkcs11");
        }
        String rest = uri.getRawSchemeSpecificPart();
        int question = rest.indexOf('?');
        Map<String, String> path = attributes(uri, question < 0 ? rest : rest.substring(0, question), ";", PATH_ATTRIBUTES);
        Map<String, String> query = attributes(uri, question < 0 ? "" : rest.substring(question + 1), "&", QUERY_ATTRIBUTES);
        String object = path.get("object");
        String module = query.get("module-path");
        if (object == null || module == null) {
            throw invalid(uri, "object and module-path are required");
        }
        Long slot = null;
        if (path.containsKey("slot-id")) {
            try {
                slot = Long.parseLong(path.get("slot-id"));
            } catch (NumberFormatException e) {
                throw invalid(uri, "slot-id is not a number");
            }
        }
        return new Pkcs11Uri(object, slot, Path.of(module), pin(uri, query));
    }

    /** Where the key is, without the PIN, for messages. */
    String describe() {
        return "PKCS#11 object '" + object + "' in " + (slotId == null ? "the first token" : "slot " + slotId) + " of " + modulePath;
    }

    private static char[] pin(URI uri, Map<String, String> query) {
        String value = query.get("pin-value");
        String source = query.get("pin-source");
        if (value != null && source != null) {
            throw invalid(uri, "give pin-value or pin-source, not both");
        }
        if (source == null) {
            return value == null ? new char[0] : value.toCharArray();
        }
        try {
            return Files.readAllLines(Path.of(source.startsWith("file:") ? URI.create(source).getPath() : source))
                    .stream().findFirst().orElse("").toCharArray();
        } catch (IOException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot read the PIN file " + source + ": " + e, e);
        }
    }

    private static Map<String, String> attributes(URI uri, String text, String separator, Set<String> known) {
        Map<String, String> result = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return result;
        }
        for (String pair : text.split(separator)) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (!known.contains(name) || equals < 0) {
                throw invalid(uri, "'" + name + "' is not one of " + known + " there, as name=value");
            }
            if (result.put(name, decode(pair.substring(equals + 1))) != null) {
                throw invalid(uri, name + " is given twice");
            }
        }
        return result;
    }

    private static String decode(String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()) {
                bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static TunnelException invalid(URI uri, String why) {
        String shown = uri.toString().replaceAll("pin-value=[^&]*", "pin-value=***");
        return new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Bad PKCS#11 key URI " + shown + ": " + why);
    }
}
