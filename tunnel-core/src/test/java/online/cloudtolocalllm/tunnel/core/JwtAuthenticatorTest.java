package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.Identity;
import org.junit.jupiter.api.Test;

/** Bearer JWTs: HS256 with a secret, RS256 and ES256 from a JWKS URL, expiry against the configured clock. */
class JwtAuthenticatorTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-secret";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void acceptsAValidHs256TokenAndNamesItsSubject() {
        Identity identity = JwtAuthenticator.hs256(SECRET, CLOCK, null, null)
                .authenticate(Tokens.mint(SECRET, "alice", NOW, Duration.ofHours(1)));
        assertThat(identity.user()).isEqualTo("alice");
        assertThat(identity.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void refusesExpiredTokensWithTunnel003UsingTheInjectedClock() {
        String token = Tokens.mint(SECRET, "alice", NOW.minus(Duration.ofHours(2)), Duration.ofHours(1));
        assertThatThrownBy(() -> JwtAuthenticator.hs256(SECRET, CLOCK, null, null).authenticate(token))
                .isInstanceOfSatisfying(TunnelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED));
        Clock earlier = Clock.fixed(NOW.minus(Duration.ofMinutes(90)), ZoneOffset.UTC);
        assertThat(JwtAuthenticator.hs256(SECRET, earlier, null, null).authenticate(token).user()).isEqualTo("alice");
    }

    @Test
    void refusesForgedAndMalformedTokensWithTunnel002() {
        JwtAuthenticator jwt = JwtAuthenticator.hs256(SECRET, CLOCK, null, null);
        String forged = Tokens.mint("another-secret-of-at-least-32-bytes!!", "alice", NOW, Duration.ofHours(1));
        assertThatThrownBy(() -> jwt.authenticate(forged)).hasMessageContaining("TUNNEL_002");
        assertThatThrownBy(() -> jwt.authenticate("not.a.jwt")).hasMessageContaining("TUNNEL_002").hasMessageContaining("Malformed");
    }

    @Test
    void checksIssuerAudienceAndSubject() throws Exception {
        JwtAuthenticator strict = JwtAuthenticator.hs256(SECRET, CLOCK, "https://issuer", "tunnel");
        assertThatThrownBy(() -> strict.authenticate(Tokens.mint(SECRET, "alice", NOW, Duration.ofHours(1))))
                .hasMessageContaining("issuer");
        SignedJWT noSubject = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().expirationTime(Date.from(NOW.plusSeconds(60))).build());
        noSubject.sign(new com.nimbusds.jose.crypto.MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> JwtAuthenticator.hs256(SECRET, CLOCK, null, null).authenticate(noSubject.serialize()))
                .hasMessageContaining("subject");
    }

    @Test
    void verifiesRs256AndEs256TokensWithKeysFromAJwksUrl() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        HttpServer jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
            JwtAuthenticator jwt = JwtAuthenticator.jwks(url, Clock.systemUTC(), null, null);
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("bob")
                    .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();

            SignedJWT rs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims);
            rs.sign(new RSASSASigner(rsa));
            assertThat(jwt.authenticate(rs.serialize()).user()).isEqualTo("bob");

            SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims);
            es.sign(new ECDSASigner(ec));
            assertThat(jwt.authenticate(es.serialize()).user()).isEqualTo("bob");

            RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            SignedJWT unknown = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims);
            unknown.sign(new RSASSASigner(stranger));
            assertThatThrownBy(() -> jwt.authenticate(unknown.serialize())).hasMessageContaining("TUNNEL_002");
        } finally {
            jwks.stop(0);
        }
    }
}
