/** The {@code fips} SSH cipher-suite profile on Bouncy Castle FIPS, in place of the {@code crypto} artifact and bcprov. */
module online.cloudtolocalllm.tunnel.crypto.fips {
    requires online.cloudtolocalllm.tunnel.spi;
    requires org.apache.sshd.osgi;
    requires org.bouncycastle.fips.core;
    requires static org.jspecify;

    provides online.cloudtolocalllm.tunnel.spi.CipherSuiteProvider
            with online.cloudtolocalllm.tunnel.crypto.fips.FipsCipherSuiteProvider;
}
