package online.cloudtolocalllm.tunnel.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.Identity;
import org.jspecify.annotations.Nullable;

/**
 * Verifies bearer JWTs: HS256 with a shared secret, or RS256/ES256 with keys from a JWKS URL. The subject is the
 * user; expiry and not-before are checked against the configured clock with 30 s of skew.
 */
final class JwtAuthenticator {
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Clock clock;
    private final @Nullable String issuer;
    private final @Nullable String audience;

    private JwtAuthenticator(JWSKeySelector<SecurityContext> keys, Clock clock, @Nullable String issuer,
            @Nullable String audience) {
        this.clock = clock;
        this.issuer = issuer;
        this.audience = audience;
        processor.setJWSKeySelector(keys);
        processor.setJWTClaimsSetVerifier((claims, context) -> verifyClaims(claims));
    }

    static JwtAuthenticator hs256(String secret, Clock clock, @Nullable String issuer, @Nullable String audience) {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        return new JwtAuthenticator(new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256, key), clock, issuer, audience);
    }

    static JwtAuthenticator jwks(URI jwksUrl, Clock clock, @Nullable String issuer, @Nullable String audience) {
        try {
            var source = JWKSourceBuilder.<SecurityContext>create(jwksUrl.toURL()).retrying(true).build();
            var keys = new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), source);
            return new JwtAuthenticator(keys, clock, issuer, audience);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Bad JWKS URL " + jwksUrl + ": " + e.getMessage(), e);
        }
    }

    Identity authenticate(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ExpiredJWTException e) {
            throw new TunnelException(ErrorCode.TOKEN_EXPIRED, e.getMessage(), e);
        } catch (ParseException e) {
            throw new TunnelException(ErrorCode.AUTHENTICATION_FAILED, "Malformed token: " + e.getMessage(), e);
        } catch (BadJOSEException | JOSEException e) {
            throw new TunnelException(ErrorCode.AUTHENTICATION_FAILED, "Token rejected: " + e.getMessage(), e);
        }
        Date expiry = claims.getExpirationTime();
        Map<String, Object> values = new LinkedHashMap<>();
        claims.toJSONObject().forEach((name, value) -> {
            if (value != null) {
                values.put(name, value);
            }
        });
        return new Identity(claims.getSubject(), expiry == null ? null : expiry.toInstant(), values);
    }

    private void verifyClaims(JWTClaimsSet claims) throws BadJWTException {
        Instant now = clock.instant();
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new BadJWTException("Token has no subject (sub) naming the user");
        }
        Date expiry = claims.getExpirationTime();
        if (expiry != null && expiry.toInstant().plus(SKEW).isBefore(now)) {
            throw new ExpiredJWTException("Token expired at " + expiry.toInstant());
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().minus(SKEW).isAfter(now)) {
            throw new BadJWTException("Token not valid before " + notBefore.toInstant());
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            throw new BadJWTException("Token issuer " + claims.getIssuer() + " is not " + issuer);
        }
        if (audience != null && (claims.getAudience() == null || !claims.getAudience().contains(audience))) {
            throw new BadJWTException("Token audience " + claims.getAudience() + " does not include " + audience);
        }
    }
}
