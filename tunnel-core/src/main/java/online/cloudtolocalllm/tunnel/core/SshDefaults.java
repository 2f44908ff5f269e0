package online.cloudtolocalllm.tunnel.core;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.helpers.AbstractFactoryManager;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Algorithm order and engine settings both endpoints share. AES-GCM comes first because the JDK's AES-GCM is
 * intrinsic and several times faster than SSH's ChaCha20-Poly1305 in Java; post-quantum hybrid key exchange
 * comes first, with classical curve25519 as the fallback for peers without it.
 */
final class SshDefaults {
    static final List<BuiltinCiphers> CIPHERS = List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
            BuiltinCiphers.cc20p1305_openssh, BuiltinCiphers.aes128ctr, BuiltinCiphers.aes256ctr);
    static final List<BuiltinDHFactories> KEX = List.of(BuiltinDHFactories.mlkem768x25519,
            BuiltinDHFactories.sntrup761x25519_openssh, BuiltinDHFactories.sntrup761x25519, BuiltinDHFactories.curve25519,
            BuiltinDHFactories.curve25519_libssh, BuiltinDHFactories.ecdhp256, BuiltinDHFactories.ecdhp384);

    /**
     * The largest channel data packet our ends accept, announced when a channel opens: twice sshd's and OpenSSH's 32
     * KiB, which halves the packets, frames and cipher calls of a bulk transfer between our ends (BENCHMARKS.md, stop
     * 14). A peer that announces less gets packets no larger than that.
     */
    static final int MAX_PACKET_SIZE = 64 * 1024;

    private SshDefaults() {
    }

    static void apply(AbstractFactoryManager manager, Function<DHFactory, KeyExchangeFactory> kexFactory) {
        manager.setCipherFactories(CIPHERS.stream().filter(BuiltinCiphers::isSupported).<NamedFactory<Cipher>>map(c -> c).toList());
        manager.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(true, KEX, kexFactory));
        // liveness is the transport's keepalive; an idle tunnel is not a dead one
        CoreModuleProperties.IDLE_TIMEOUT.set(manager, Duration.ZERO);
        CoreModuleProperties.TCP_NODELAY.set(manager, true);
        CoreModuleProperties.MAX_PACKET_SIZE.set(manager, (long) MAX_PACKET_SIZE);
    }
}
