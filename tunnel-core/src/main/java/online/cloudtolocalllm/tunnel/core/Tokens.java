package online.cloudtolocalllm.tunnel.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/** Mints HS256 tokens (for the CLI, the demo and tests) and reads a token's subject without verifying it. */
public final class Tokens {
    private Tokens() {
    }

    /** A token for {@code user} signed with {@code secret}, valid for {@code ttl} from {@code now}. */
    public static String mint(String secret, String user, Instant now, Duration ttl) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(user)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot sign a token: " + e.getMessage(), e);
        }
    }

    /** The subject ({@code sub}) of a token, read without checking its signature: the client's SSH user name. */
    public static String subject(String token) {
        try {
            String subject = JWTParser.parse(token).getJWTClaimsSet().getSubject();
            if (subject == null || subject.isBlank()) {
                throw new TunnelException(ErrorCode.AUTHENTICATION_FAILED, "The token has no subject (sub) naming the user");
            }
            return subject;
        } catch (ParseException e) {
            throw new TunnelException(ErrorCode.AUTHENTICATION_FAILED, "Malformed token: " + e.getMessage(), e);
        }
    }
}
