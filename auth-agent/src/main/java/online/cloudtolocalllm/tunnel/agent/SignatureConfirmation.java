package online.cloudtolocalllm.tunnel.agent;

import org.jspecify.annotations.Nullable;

/**
 * Asks the user, on the client, whether the server may have one signature (like {@code ssh-add -c}). Called on
 * its own thread for each sign request that the policy lets through; it may block while the user decides.
 */
@FunctionalInterface
public interface SignatureConfirmation {

    /** Whether to sign; false answers the server with a failure and records the request as declined. */
    boolean confirm(Request request);

    /**
     * A signature the server asks for.
     *
     * @param user the tunnel user
     * @param server the server asking
     * @param keyType the key's type, such as {@code ssh-ed25519}
     * @param keyFingerprint the key's fingerprint ({@code SHA256:...})
     * @param keyComment the key's comment, if the server listed the keys first
     */
    record Request(String user, String server, String keyType, String keyFingerprint, @Nullable String keyComment) {
    }
}
