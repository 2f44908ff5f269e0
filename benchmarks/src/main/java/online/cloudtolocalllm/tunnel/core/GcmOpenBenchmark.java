package online.cloudtolocalllm.tunnel.core;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing and then opening one AES-GCM channel-data packet, with sshd's built-in cipher opening it in place or
 * {@link OutOfPlaceGcmCipher} opening it out of place (sealing is the same for both, so the difference is the
 * opening). It sits in the core's package (on the class path) to reach that package-private cipher.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GcmOpenBenchmark {
    private static final int LENGTH_FIELD = 4;

    @Param({"builtin", "outOfPlace"})
    public String opener;

    @Param({"1024", "32768", "65536"})
    public int size;

    private Cipher sealing;
    private Cipher opening;
    private byte[] packet;

    @Setup
    public void setUp() throws Exception {
        Random random = new Random(42);
        BuiltinCiphers builtin = BuiltinCiphers.aes128gcm;
        byte[] key = new byte[builtin.getKdfSize()];
        byte[] iv = new byte[builtin.getIVSize()];
        random.nextBytes(key);
        random.nextBytes(iv);
        sealing = builtin.create();
        sealing.init(Cipher.Mode.Encrypt, key.clone(), iv.clone());
        opening = opener.equals("builtin") ? builtin.create() : OutOfPlaceGcmCipher.substitute(List.of(builtin)).getFirst().create();
        opening.init(Cipher.Mode.Decrypt, key.clone(), iv.clone());
        packet = new byte[LENGTH_FIELD + size + builtin.getAuthenticationTagSize()];
        random.nextBytes(packet);
    }

    /** Seals the packet and opens it again, as the two ends of a session would; the packet is the result. */
    @Benchmark
    public byte[] sealAndOpen() throws Exception {
        sealing.updateWithAAD(packet, 0, LENGTH_FIELD, size);
        opening.updateAAD(packet, 0, LENGTH_FIELD);
        opening.update(packet, LENGTH_FIELD, size);
        return packet;
    }
}
