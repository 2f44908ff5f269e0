/** The tunnel engine: SSH (Apache MINA SSHD) running directly on a transport's frames. */
module online.cloudtolocalllm.tunnel.core {
    requires transitive online.cloudtolocalllm.tunnel.spi;
    requires org.apache.sshd.osgi;
    // optional: sshd finds bcprov (the crypto artifact) or bc-fips (crypto-fips) at run time; the JDK binds either as a
    // java.security.Provider, so it needs no hard edge, which would keep bc-fips deployments off the module path
    requires static org.bouncycastle.provider;
    requires com.nimbusds.jose.jwt;
    requires org.slf4j;
    requires static org.jspecify;

    // the crypto audit lives here, not in crypto, so that deployments on crypto-fips have it too
    exports online.cloudtolocalllm.tunnel.crypto.audit;
    exports online.cloudtolocalllm.tunnel.core to
            online.cloudtolocalllm.tunnel.cli,
            online.cloudtolocalllm.tunnel.testing;

    provides online.cloudtolocalllm.tunnel.api.TunnelRuntime
            with online.cloudtolocalllm.tunnel.core.CoreRuntime;
    provides online.cloudtolocalllm.tunnel.spi.AuthenticatorProvider
            with online.cloudtolocalllm.tunnel.core.DefaultAuthenticatorProvider;
}
