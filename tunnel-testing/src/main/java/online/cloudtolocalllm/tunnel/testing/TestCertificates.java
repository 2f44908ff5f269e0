package online.cloudtolocalllm.tunnel.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import online.cloudtolocalllm.tunnel.api.TlsTrust;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A throw-away certificate authority for TLS tests: EC P-256 keys, certificates valid for a day, written as PEM files
 * the way a server and its clients read them.
 */
public final class TestCertificates {
    private static final AlgorithmIdentifier ECDSA_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caFile;

    private TestCertificates(Path dir, KeyPair caKeys, X509Certificate ca, Path caFile) {
        this.dir = dir;
        this.caKeys = caKeys;
        this.ca = ca;
        this.caFile = caFile;
    }

    /**
     * A server's certificate: the PEM chain (server, then CA), its PKCS#8 key, and the certificate itself.
     *
     * @param chainFile the certificate chain, server first
     * @param keyFile the unencrypted PKCS#8 private key
     * @param certificate the server's certificate
     * @param keys the server's key pair
     */
    public record Issued(Path chainFile, Path keyFile, X509Certificate certificate, KeyPair keys) {
        /** The certificate's public-key pin, {@code sha256/BASE64}. */
        public String pin() {
            return TlsTrust.pinOf(certificate);
        }
    }

    /** A new CA named {@code name}, its certificate in {@code dir/name-ca.pem}. */
    public static TestCertificates authority(Path dir, String name) {
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=" + name + " test CA");
        X509Certificate ca = sign(subject, subject, keys.getPublic().getEncoded(), keys.getPrivate(), true);
        return new TestCertificates(dir, keys, ca, write(dir.resolve(name + "-ca.pem"), pem("CERTIFICATE", encoded(ca))));
    }

    /** The CA's certificate file, for a client's trust. */
    public Path caFile() {
        return caFile;
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    /** A client's TLS context that trusts this CA only, for {@code https://} requests in tests. */
    public SSLContext clientContext() {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server certificate named {@code name} for these host names and IP addresses, signed by this CA. */
    public Issued issue(String name, String... hosts) {
        KeyPair keys = keyPair();
        X509Certificate certificate = sign(new X500Name("CN=" + name), X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                keys.getPublic().getEncoded(), caKeys.getPrivate(), false, hosts);
        Path chain = write(dir.resolve(name + "-chain.pem"), pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(ca)));
        Path key = write(dir.resolve(name + "-key.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        return new Issued(chain, key, certificate, keys);
    }

    private static X509Certificate sign(X500Name subject, X500Name issuer, byte[] publicKey, PrivateKey signer, boolean ca,
            String... hosts) {
        try {
            Instant now = Instant.now();
            V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
            tbs.setSerialNumber(new ASN1Integer(BigInteger.valueOf(SERIALS.incrementAndGet())));
            tbs.setIssuer(issuer);
            tbs.setSubject(subject);
            tbs.setStartDate(new Time(Date.from(now.minus(Duration.ofHours(1)))));
            tbs.setEndDate(new Time(Date.from(now.plus(Duration.ofDays(1)))));
            tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(publicKey));
            tbs.setSignature(ECDSA_SHA256);
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            extensions.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            if (hosts.length > 0) {
                GeneralName[] names = new GeneralName[hosts.length];
                for (int i = 0; i < hosts.length; i++) {
                    names[i] = Character.isDigit(hosts[i].charAt(0))
                            ? new GeneralName(GeneralName.iPAddress, hosts[i])
                            : new GeneralName(GeneralName.dNSName, hosts[i]);
                }
                extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            tbs.setExtensions(extensions.generate());
            TBSCertificate certificate = tbs.generateTBSCertificate();
            java.security.Signature signature = java.security.Signature.getInstance("SHA256withECDSA");
            signature.initSign(signer);
            signature.update(certificate.getEncoded(ASN1Encoding.DER));
            byte[] der = new DERSequence(new ASN1Encodable[] {certificate, ECDSA_SHA256, new DERBitString(signature.sign())})
                    .getEncoded(ASN1Encoding.DER);
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a test certificate for " + subject, e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
