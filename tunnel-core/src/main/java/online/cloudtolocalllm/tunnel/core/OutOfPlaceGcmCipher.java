package online.cloudtolocalllm.tunnel.core;

import java.util.List;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.jspecify.annotations.Nullable;

/**
 * SSH's AES-GCM (RFC 5647: a 12-byte nonce whose last 8 bytes count the packets) that decrypts a packet into a
 * per-thread array and copies the plaintext back, instead of decrypting in place. The JDK runs its fused AES-GCM
 * intrinsic (counter mode and GHASH in one pass over the data) only when the output is another array than the
 * input; in place it makes two passes, which cost 1.7 times the encryption of the same bytes on a CPU with AVX-512
 * (BENCHMARKS.md, stop 19). Encryption is fused in place already and stays in place.
 */
final class OutOfPlaceGcmCipher implements Cipher {
    /** Below this the JDK does not fuse (its {@code PARALLEL_LEN}), so a copy would buy nothing. */
    static final int FUSED_MIN = 512;
    private static final ThreadLocal<byte[]> PLAINTEXT = ThreadLocal.withInitial(() -> new byte[0]);

    private final BuiltinCiphers like;
    private final byte[] nonce;
    private @Nullable Mode mode;
    private @Nullable SecretKeySpec key;
    private javax.crypto.@Nullable Cipher engine;
    private boolean initialized;

    private OutOfPlaceGcmCipher(BuiltinCiphers like) {
        this.like = like;
        this.nonce = new byte[like.getIVSize()];
    }

    /** {@code factories} with each AES-GCM one replaced by a factory of this cipher under the same name. */
    static List<NamedFactory<Cipher>> substitute(List<NamedFactory<Cipher>> factories) {
        return factories.stream().map(OutOfPlaceGcmCipher::substitute).toList();
    }

    private static NamedFactory<Cipher> substitute(NamedFactory<Cipher> factory) {
        BuiltinCiphers builtin = BuiltinCiphers.fromFactoryName(factory.getName());
        boolean gcm = builtin == BuiltinCiphers.aes128gcm || builtin == BuiltinCiphers.aes256gcm;
        return gcm ? new Factory(builtin) : factory;
    }

    @Override
    public void init(Mode mode, byte[] key, byte[] iv) throws Exception {
        this.mode = mode;
        this.key = new SecretKeySpec(key, 0, like.getKdfSize(), like.getAlgorithm());
        System.arraycopy(iv, 0, nonce, 0, nonce.length);
        engine = SecurityUtils.getCipher(like.getTransformation());
        initialized = false;
    }

    @Override
    public void updateAAD(byte[] data, int offset, int length) throws Exception {
        engine().updateAAD(data, offset, length);
    }

    /** Encrypts {@code length} bytes in place and appends the tag, or decrypts them and checks the tag after them. */
    @Override
    public void update(byte[] data, int offset, int length) throws Exception {
        javax.crypto.Cipher cipher = engine();
        if (mode == Mode.Encrypt) {
            cipher.doFinal(data, offset, length, data, offset);
        } else if (length < FUSED_MIN) {
            cipher.doFinal(data, offset, length + getAuthenticationTagSize(), data, offset);
        } else {
            byte[] plaintext = plaintext(length);
            cipher.doFinal(data, offset, length + getAuthenticationTagSize(), plaintext, 0);
            System.arraycopy(plaintext, 0, data, offset, length);
        }
        nextPacket();
    }

    /** The engine, set up for the current packet's nonce. */
    private javax.crypto.Cipher engine() throws Exception {
        javax.crypto.Cipher cipher = java.util.Objects.requireNonNull(engine, "not initialized");
        if (!initialized) {
            cipher.init(mode == Mode.Encrypt ? javax.crypto.Cipher.ENCRYPT_MODE : javax.crypto.Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(getAuthenticationTagSize() * Byte.SIZE, nonce));
            initialized = true;
        }
        return cipher;
    }

    /** Counts the packet in the nonce's last 8 bytes (big-endian); the first 4 stay fixed. */
    private void nextPacket() {
        for (int i = nonce.length - 1; i >= nonce.length - Long.BYTES && ++nonce[i] == 0; i--) {
            // carry into the next byte
        }
        initialized = false;
    }

    private static byte[] plaintext(int length) {
        byte[] kept = PLAINTEXT.get();
        if (kept.length >= length) {
            return kept;
        }
        byte[] grown = new byte[Math.max(length, 2 * kept.length)];
        PLAINTEXT.set(grown);
        return grown;
    }

    @Override
    public String getAlgorithm() {
        return like.getAlgorithm();
    }

    @Override
    public int getKeySize() {
        return like.getKeySize();
    }

    @Override
    public String getTransformation() {
        return like.getTransformation();
    }

    @Override
    public int getIVSize() {
        return like.getIVSize();
    }

    @Override
    public int getAuthenticationTagSize() {
        return like.getAuthenticationTagSize();
    }

    @Override
    public int getCipherBlockSize() {
        return like.getCipherBlockSize();
    }

    @Override
    public int getKdfSize() {
        return like.getKdfSize();
    }

    @Override
    public String toString() {
        return like.getName() + " (decrypting out of place)";
    }

    private record Factory(BuiltinCiphers like) implements NamedFactory<Cipher> {
        @Override
        public String getName() {
            return like.getName();
        }

        @Override
        public Cipher create() {
            return new OutOfPlaceGcmCipher(like);
        }
    }
}
