package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
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
 * Issue 6's bulk throughput per cipher, at the SSH packet level: sealing one channel-data packet the way sshd does
 * (the AEAD ciphers authenticate the length field themselves; AES-CTR takes an encrypt-then-MAC HMAC-SHA2-256), for
 * a small packet and a full 32 KiB one, with the providers sshd picks in the endpoints (SunJCE for AES).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CipherBenchmark {
    private static final int LENGTH_FIELD = 4;

    @Param({"aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com", "aes128-ctr"})
    public String cipher;

    @Param({"1024", "32768"})
    public int size;

    private Cipher engine;
    private Mac mac;
    private byte[] packet;
    private byte[] tag;
    private long sequence;

    @Setup
    public void setUp() throws Exception {
        Random random = new Random(42);
        engine = BuiltinCiphers.fromFactoryName(cipher).create();
        byte[] key = new byte[engine.getKdfSize()];
        byte[] iv = new byte[engine.getIVSize()]; // zero: ChaCha20's "IV" is the packet sequence number, 0 at first
        random.nextBytes(key);
        engine.init(Cipher.Mode.Encrypt, key, iv);
        packet = new byte[LENGTH_FIELD + size + engine.getAuthenticationTagSize()];
        random.nextBytes(packet);
        if (engine.getAuthenticationTagSize() == 0) {
            mac = BuiltinMacs.hmacsha256etm.create();
            byte[] macKey = new byte[mac.getDefaultBlockSize()];
            random.nextBytes(macKey);
            mac.init(macKey);
            tag = new byte[mac.getBlockSize()];
        }
    }

    /** Seals one packet; the result is the packet, so the work cannot be optimised away. */
    @Benchmark
    public byte[] sealPacket() throws Exception {
        if (mac == null) {
            engine.updateWithAAD(packet, 0, LENGTH_FIELD, size);
        } else {
            engine.update(packet, LENGTH_FIELD, size);
            mac.updateUInt(sequence++);
            mac.update(packet, 0, LENGTH_FIELD + size);
            mac.doFinal(tag, 0);
        }
        return packet;
    }
}
