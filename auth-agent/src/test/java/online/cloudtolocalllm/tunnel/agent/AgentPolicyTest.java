package online.cloudtolocalllm.tunnel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The default policy lets only listing and signing through; others are named explicitly. */
class AgentPolicyTest {

    @Test
    void theDefaultAllowsListAndSignOnly() {
        assertThat(AgentPolicy.DEFAULT.allowed()).containsExactlyInAnyOrder(AgentOperation.LIST_IDENTITIES, AgentOperation.SIGN);
        for (AgentOperation operation : EnumSet.complementOf(EnumSet.of(AgentOperation.LIST_IDENTITIES, AgentOperation.SIGN))) {
            assertThat(AgentPolicy.DEFAULT.allows(operation)).as(operation.name()).isFalse();
        }
    }

    @Test
    void policiesParseFromShortNames() {
        assertThat(AgentPolicy.parse("list, sign,remove-all").allowed()).containsExactlyInAnyOrder(
                AgentOperation.LIST_IDENTITIES, AgentOperation.SIGN, AgentOperation.REMOVE_ALL_IDENTITIES);
        assertThat(AgentPolicy.parse("list,sign")).isEqualTo(AgentPolicy.DEFAULT);
        assertThat(AgentPolicy.parse("list,sign,add").toString()).isEqualTo("AgentPolicy[list,sign,add]");
        assertThatThrownBy(() -> AgentPolicy.parse("list,steal")).hasMessageStartingWith("Unknown agent operation 'steal'; known: list, sign");
        assertThatThrownBy(() -> AgentPolicy.of(AgentOperation.UNKNOWN)).hasMessageContaining("never forwarded");
    }
}
