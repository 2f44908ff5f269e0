package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenSSH authorized_keys file where each key's comment names the user it logs in as. The file is read again
 * when it changes, so keys can be added or revoked without a restart.
 */
final class AuthorizedKeys {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedKeys.class);

    private final Path file;
    private FileTime loadedAt = FileTime.fromMillis(Long.MIN_VALUE);
    private Map<String, List<PublicKey>> keysByUser = Map.of();

    AuthorizedKeys(Path file) {
        this.file = file;
    }

    boolean authorizes(String user, PublicKey key) {
        return current().getOrDefault(user, List.of()).stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
    }

    private synchronized Map<String, List<PublicKey>> current() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (!modified.equals(loadedAt)) {
                keysByUser = load();
                loadedAt = modified;
            }
        } catch (IOException | GeneralSecurityException e) {
            LOG.warn("Cannot read authorized keys {}: {}; no key logs in until it is fixed", file, e.toString());
            keysByUser = Map.of();
        }
        return keysByUser;
    }

    private Map<String, List<PublicKey>> load() throws IOException, GeneralSecurityException {
        Map<String, List<PublicKey>> byUser = new HashMap<>();
        for (AuthorizedKeyEntry entry : AuthorizedKeyEntry.readAuthorizedKeys(file)) {
            String user = entry.getComment() == null ? "" : entry.getComment().trim();
            if (user.isEmpty()) {
                LOG.warn("Key without a user comment in {} ignored: {}", file, entry.getKeyType());
                continue;
            }
            PublicKey key = entry.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
            if (key != null) {
                byUser.computeIfAbsent(user, u -> new ArrayList<>()).add(key);
            }
        }
        return byUser;
    }
}
