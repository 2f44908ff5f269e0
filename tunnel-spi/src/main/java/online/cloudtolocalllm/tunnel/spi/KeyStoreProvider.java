package online.cloudtolocalllm.tunnel.spi;

import java.net.URI;

/** Loads an endpoint's own {@link SshKey} from a key store named by a URI, such as a PKCS#11 token. */
public interface KeyStoreProvider extends TunnelProvider<URI, SshKey> {

    /** Whether this provider reads keys at {@code location} (by its scheme, typically). */
    boolean supports(URI location);
}
