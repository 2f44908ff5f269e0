package online.cloudtolocalllm.tunnel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The Phase 1 error vocabulary and its JSON body. */
class ErrorCodeTest {

    @Test
    void keepsThePhase1CodesAndStatuses() {
        assertThat(ErrorCode.CONNECTION_REFUSED.code()).isEqualTo("TUNNEL_001");
        assertThat(ErrorCode.CONNECTION_REFUSED.httpStatus()).isEqualTo(503);
        assertThat(ErrorCode.TOKEN_EXPIRED.code()).isEqualTo("TUNNEL_003");
        assertThat(ErrorCode.TOKEN_EXPIRED.httpStatus()).isEqualTo(401);
        assertThat(ErrorCode.QUEUE_FULL.httpStatus()).isEqualTo(507);
        assertThat(ErrorCode.CONFIGURATION_ERROR.code()).isEqualTo("TUNNEL_010");
        assertThat(ErrorCode.ofCode("TUNNEL_005")).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThatThrownBy(() -> ErrorCode.ofCode("TUNNEL_999")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void agentForwardingFailuresHaveTheirOwnCodes() {
        assertThat(ErrorCode.ofCode("TUNNEL_013")).isEqualTo(ErrorCode.AGENT_NOT_CONFIGURED);
        assertThat(ErrorCode.ofCode("TUNNEL_014")).isEqualTo(ErrorCode.AGENT_SOCKET_MISSING);
        assertThat(ErrorCode.ofCode("TUNNEL_015")).isEqualTo(ErrorCode.AGENT_PERMISSION_DENIED);
        assertThat(ErrorCode.ofCode("TUNNEL_016")).isEqualTo(ErrorCode.AGENT_REFUSED);
        assertThat(ErrorCode.ofCode("TUNNEL_017")).isEqualTo(ErrorCode.AGENT_FORWARDING_FORBIDDEN);
        assertThat(ErrorCode.AGENT_FORWARDING_FORBIDDEN.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
    }

    @Test
    void tlsFailuresHaveTheirOwnCodes() {
        assertThat(ErrorCode.ofCode("TUNNEL_018")).isEqualTo(ErrorCode.TLS_REQUIRED);
        assertThat(ErrorCode.TLS_REQUIRED.httpStatus()).isEqualTo(426);
        assertThat(ErrorCode.ofCode("TUNNEL_019")).isEqualTo(ErrorCode.TLS_HANDSHAKE_FAILED);
        assertThat(ErrorCode.ofCode("TUNNEL_020")).isEqualTo(ErrorCode.TLS_PIN_MISMATCH);
    }

    @Test
    void aServiceAnsweringWithSomethingOtherThanHttpIsABadGateway() {
        assertThat(ErrorCode.ofCode("TUNNEL_021")).isEqualTo(ErrorCode.BAD_SERVICE_RESPONSE);
        assertThat(ErrorCode.BAD_SERVICE_RESPONSE.httpStatus()).isEqualTo(502);
        assertThat(ErrorCode.BAD_SERVICE_RESPONSE.category()).isEqualTo(ErrorCategory.PROTOCOL);
    }

    @Test
    void writesTheJsonBodyClientsParse() {
        assertThat(ErrorCode.AUTHENTICATION_FAILED.toJson("bad \"token\"\n"))
                .isEqualTo("{\"code\":\"TUNNEL_002\",\"category\":\"authentication\",\"message\":\"bad \\\"token\\\"\\n\"}");
    }

    @Test
    void exceptionsCarryTheirCodeAndWrapOthers() {
        TunnelException e = new TunnelException(ErrorCode.REQUEST_TIMEOUT, "slow");
        assertThat(e.getMessage()).isEqualTo("TUNNEL_007: slow");
        assertThat(e.detail()).isEqualTo("slow");
        assertThat(TunnelException.wrap(new RuntimeException(e), ErrorCode.SSH_ERROR)).isSameAs(e);
        assertThat(TunnelException.wrap(new java.io.IOException("boom"), ErrorCode.SSH_ERROR).code()).isEqualTo(ErrorCode.SSH_ERROR);
    }
}
