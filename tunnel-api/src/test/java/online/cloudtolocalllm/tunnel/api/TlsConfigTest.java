package online.cloudtolocalllm.tunnel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS settings of the server and TLS trust of clients check their values at once. */
class TlsConfigTest {
    private static final String PIN = "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    @TempDir
    Path dir;

    @Test
    void serverTlsDefaultsToTls13OnlyAndRefusesOtherProtocolsAndMissingFiles() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");

        TlsSettings tls = TlsSettings.pem(cert, key).build();
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
        assertThat(tls.requireTls()).isFalse();
        assertThat(TlsSettings.pem(cert, key).protocols("TLSv1.3", "TLSv1.2").build().protocols()).hasSize(2);
        assertThatThrownBy(() -> TlsSettings.pem(cert, key).protocols("TLSv1.1")).hasMessageContaining("TLSv1.1")
                .hasMessageContaining("TLSv1.3 or TLSv1.2");
        assertThatThrownBy(() -> TlsSettings.pem(dir.resolve("missing.pem"), key)).hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> TunnelServerConfig.builder().dataDir(dir).tls(tls).build())
                .hasMessageContaining("listen address");
    }

    @Test
    void aKeyStoreAliasMustNameAKeyEntry() throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);

        assertThatThrownBy(() -> TlsSettings.keyStore(store, new char[0], "tls"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no key entry 'tls'");
        assertThat(TlsSettings.keyStore(store, new char[0]).build().keyAlias()).isEmpty();
    }

    @Test
    void clientTrustTakesValidPinsForWssServersOnly() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        TunnelClientConfig.Builder base = TunnelClientConfig.builder().server("wss://h").token("t")
                .hostKeys(HostKeyPolicy.pinned("SHA256:abcdefghijklmnopqrstuvwxyz"));

        TunnelClientConfig config = base.tlsTrust(ca).tlsPins(PIN).build();
        assertThat(config.tlsTrust().certificates()).hasValue(ca);
        assertThat(config.tlsTrust().pins()).containsExactly(PIN);
        assertThat(config.toBuilder().build().tlsTrust()).isEqualTo(config.tlsTrust());
        assertThat(TunnelClientConfig.builder().server("wss://h").token("t").hostKeys(HostKeyPolicy.pinned(
                "SHA256:abcdefghijklmnopqrstuvwxyz")).build().tlsTrust().isSystem()).isTrue();

        assertThatThrownBy(() -> base.tlsPins("SHA256:abc")).hasMessageContaining("sha256/BASE64");
        assertThatThrownBy(() -> base.tlsPins("sha256/AAAA")).hasMessageContaining("SHA-256 hash");
        assertThatThrownBy(() -> base.tlsTrust(dir.resolve("nope.pem"))).hasMessageContaining("nope.pem");
        assertThatThrownBy(() -> base.server("ws://h").build()).hasMessageContaining("wss://");
    }
}
