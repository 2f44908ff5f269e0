package online.cloudtolocalllm.tunnel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 7512 key URIs: the attributes we read, the PIN from the URI or a file, and errors that never show the PIN. */
class Pkcs11UriTest {
    @TempDir
    Path dir;

    @Test
    void readsObjectSlotModuleAndPin() {
        Pkcs11Uri uri = Pkcs11Uri.parse(URI.create("pkcs11:slot-id=42;object=host%20key?module-path=/usr/lib/p11.so&pin-value=1234"));

        assertThat(uri.object()).isEqualTo("host key");
        assertThat(uri.slotId()).isEqualTo(42L);
        assertThat(uri.modulePath()).isEqualTo(Path.of("/usr/lib/p11.so"));
        assertThat(uri.pin()).containsExactly('1', '2', '3', '4');
        assertThat(uri.describe()).isEqualTo("PKCS#11 object 'host key' in slot 42 of /usr/lib/p11.so");
    }

    @Test
    void withoutASlotTheFirstTokenIsMeantAndThePinMayComeFromAFile() throws Exception {
        Path pin = Files.writeString(dir.resolve("pin"), "5678\n");

        Pkcs11Uri uri = Pkcs11Uri.parse(URI.create("pkcs11:object=host?module-path=/usr/lib/p11.so&pin-source=" + pin));

        assertThat(uri.slotId()).isNull();
        assertThat(uri.pin()).containsExactly('5', '6', '7', '8');
        assertThat(uri.describe()).contains("the first token");
    }

    @Test
    void unknownOrMissingAttributesAreRefusedWithoutShowingThePin() {
        assertThatThrownBy(() -> Pkcs11Uri.parse(URI.create("pkcs11:token=x;object=host?module-path=/p.so&pin-value=secret")))
                .hasMessageContaining("'token' is not one of").hasMessageContaining("pin-value=***").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> Pkcs11Uri.parse(URI.create("pkcs11:object=host")))
                .hasMessageContaining("object and module-path are required");
        assertThatThrownBy(() -> Pkcs11Uri.parse(URI.create("pkcs11:object=host?module-path=/p.so&pin-value=1&pin-source=/f")))
                .hasMessageContaining("pin-value or pin-source, not both");
    }
}
