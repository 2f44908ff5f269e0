package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Ingress paths name a user, a service and the path the service sees; anything else is not an ingress path. */
class IngressTargetTest {

    @Test
    void anIngressPathNamesTheUserTheServiceAndThePathWithItsQuery() {
        assertThat(IngressTarget.parse("/t/alice/llm/api/generate?stream=true"))
                .hasValue(new IngressTarget("alice", "llm", "/api/generate?stream=true"));
        assertThat(IngressTarget.parse("/t/alice/llm")).hasValue(new IngressTarget("alice", "llm", "/"));
        assertThat(IngressTarget.parse("/t/alice/llm?x=1")).hasValue(new IngressTarget("alice", "llm", "/?x=1"));
        assertThat(IngressTarget.parse("/t/al%20ice/llm/")).hasValue(new IngressTarget("al ice", "llm", "/"));
        assertThat(IngressTarget.parse("/t/alice/llm/").orElseThrow().prefix()).isEqualTo("/t/alice/llm");
    }

    @Test
    void otherPathsAreNotIngressPaths() {
        assertThat(IngressTarget.parse("/tunnel")).isEmpty();
        assertThat(IngressTarget.parse("/t/")).isEmpty();
        assertThat(IngressTarget.parse("/t//llm/")).isEmpty();
        assertThat(IngressTarget.parse("/t/alice/")).isEmpty();
    }

    @Test
    void aUserNameWithControlCharactersIsNoIngressPathSoItCannotSplitAForwardedHeader() {
        assertThat(IngressTarget.parse("/t/alice%0D%0AX-Injected:%20yes/llm/")).isEmpty();
        assertThat(IngressTarget.parse("/t/alice%00/llm/")).isEmpty();
    }
}
