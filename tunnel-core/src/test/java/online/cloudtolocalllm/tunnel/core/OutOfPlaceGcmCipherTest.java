package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Our AES-GCM speaks exactly what sshd's built-in one (and so OpenSSH) does, packet after packet. */
class OutOfPlaceGcmCipherTest {
    private static final int LENGTH_FIELD = 4;
    /** Enough packets for the nonce's counter to carry into its second byte. */
    private static final int PACKETS = 300;

    @ParameterizedTest
    @EnumSource(value = BuiltinCiphers.class, names = {"aes128gcm", "aes256gcm"})
    void opensWhatTheBuiltInSealsAndSealsWhatItOpens(BuiltinCiphers builtin) throws Exception {
        Keys keys = new Keys(builtin);
        Cipher ours = keys.init(ours(builtin), Cipher.Mode.Decrypt);
        Cipher theirs = keys.init(builtin.create(), Cipher.Mode.Encrypt);
        Cipher oursSealing = keys.init(ours(builtin), Cipher.Mode.Encrypt);
        Cipher theirsOpening = keys.init(builtin.create(), Cipher.Mode.Decrypt);
        Random random = new Random(7);
        for (int i = 0; i < PACKETS; i++) {
            // sizes on both sides of the length from which decryption goes out of place
            int size = 16 * (1 + random.nextInt(2 * OutOfPlaceGcmCipher.FUSED_MIN / 16));
            byte[] plaintext = packet(random, size);

            byte[] sealed = seal(theirs, plaintext);
            open(ours, sealed, size);
            assertThat(sealed).startsWith(Arrays.copyOf(plaintext, LENGTH_FIELD + size));

            byte[] sealedByUs = seal(oursSealing, plaintext);
            open(theirsOpening, sealedByUs, size);
            assertThat(sealedByUs).startsWith(Arrays.copyOf(plaintext, LENGTH_FIELD + size));
        }
    }

    @Test
    void aTamperedPacketIsRefusedAndLeftAsItCame() throws Exception {
        BuiltinCiphers builtin = BuiltinCiphers.aes128gcm;
        Keys keys = new Keys(builtin);
        Cipher sealing = keys.init(builtin.create(), Cipher.Mode.Encrypt);
        Cipher opening = keys.init(ours(builtin), Cipher.Mode.Decrypt);
        int size = 4 * OutOfPlaceGcmCipher.FUSED_MIN;
        byte[] sealed = seal(sealing, packet(new Random(3), size));
        sealed[LENGTH_FIELD + 100] ^= 1;
        byte[] received = sealed.clone();

        assertThatThrownBy(() -> open(opening, sealed, size)).isInstanceOf(AEADBadTagException.class);
        assertThat(sealed).isEqualTo(received);
    }

    @Test
    void onlyTheAesGcmFactoriesAreReplacedAndTheyKeepTheirNames() {
        List<NamedFactory<Cipher>> factories = List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.cc20p1305_openssh,
                BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr);

        List<NamedFactory<Cipher>> substituted = OutOfPlaceGcmCipher.substitute(factories);

        assertThat(substituted).extracting(NamedFactory::getName).containsExactly("aes128-gcm@openssh.com",
                "chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr");
        assertThat(substituted.get(0).create()).isInstanceOf(OutOfPlaceGcmCipher.class);
        assertThat(substituted.get(2).create()).isInstanceOf(OutOfPlaceGcmCipher.class);
        assertThat(substituted.get(1)).isSameAs(BuiltinCiphers.cc20p1305_openssh);
        assertThat(substituted.get(3)).isSameAs(BuiltinCiphers.aes128ctr);
    }

    private static Cipher ours(BuiltinCiphers builtin) {
        return OutOfPlaceGcmCipher.substitute(List.of(builtin)).getFirst().create();
    }

    /** A packet as sshd lays it out: the length field (additional data), the payload, room for the tag. */
    private static byte[] packet(Random random, int size) {
        byte[] packet = new byte[LENGTH_FIELD + size + 16];
        random.nextBytes(packet);
        return packet;
    }

    private static byte[] seal(Cipher cipher, byte[] plaintext) throws Exception {
        byte[] packet = plaintext.clone();
        cipher.updateWithAAD(packet, 0, LENGTH_FIELD, packet.length - LENGTH_FIELD - 16);
        return packet;
    }

    private static void open(Cipher cipher, byte[] packet, int size) throws Exception {
        cipher.updateAAD(packet, 0, LENGTH_FIELD);
        cipher.update(packet, LENGTH_FIELD, size);
    }

    /** One key and nonce, as both ends of a session derive them for one direction. */
    private record Keys(byte[] key, byte[] iv) {
        Keys(BuiltinCiphers builtin) {
            this(random(builtin.getKdfSize()), random(builtin.getIVSize()));
        }

        Cipher init(Cipher cipher, Cipher.Mode mode) throws Exception {
            cipher.init(mode, key.clone(), iv.clone());
            return cipher;
        }

        private static byte[] random(int size) {
            byte[] bytes = new byte[size];
            new Random(size).nextBytes(bytes);
            return bytes;
        }
    }
}
