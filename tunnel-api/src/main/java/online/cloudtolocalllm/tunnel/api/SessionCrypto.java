package online.cloudtolocalllm.tunnel.api;

import java.util.Objects;

/**
 * The algorithms an SSH session negotiated at its latest key exchange.
 *
 * @param kex the key exchange, such as {@code mlkem768x25519-sha256}
 * @param hostKey the server's host key algorithm, such as {@code ssh-ed25519}
 * @param cipher the cipher, such as {@code aes128-gcm@openssh.com} (as {@code c2s/s2c} when the directions differ)
 * @param mac the MAC, or {@code implicit} for an authenticated cipher
 * @param keyExchanges how many key exchanges the session has completed (1 before any rekey)
 */
public record SessionCrypto(String kex, String hostKey, String cipher, String mac, int keyExchanges) {
    public SessionCrypto {
        Objects.requireNonNull(kex, "kex");
        Objects.requireNonNull(hostKey, "hostKey");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(mac, "mac");
    }

    @Override
    public String toString() {
        return "kex=" + kex + " hostkey=" + hostKey + " cipher=" + cipher + " mac=" + mac + " exchanges=" + keyExchanges;
    }
}
