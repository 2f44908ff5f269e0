/** SSH cipher-suite profiles ({@code modern}, {@code compatible}), custom algorithm lists, keys in PKCS#11 tokens. */
module online.cloudtolocalllm.tunnel.crypto {
    requires transitive online.cloudtolocalllm.tunnel.spi;
    requires org.apache.sshd.osgi;
    // sshd's post-quantum key exchanges and Ed25519 run on Bouncy Castle
    requires org.bouncycastle.provider;
    requires static transitive org.jspecify;

    provides online.cloudtolocalllm.tunnel.spi.CipherSuiteProvider
            with online.cloudtolocalllm.tunnel.crypto.ProfileCipherSuiteProvider;
    provides online.cloudtolocalllm.tunnel.spi.KeyStoreProvider
            with online.cloudtolocalllm.tunnel.crypto.Pkcs11KeyStoreProvider;
}
