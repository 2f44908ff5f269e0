package online.cloudtolocalllm.tunnel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The old Pageant path (WM_COPYDATA with a shared mapping, through JNA) cannot run here; its message layout and the
 * channel that turns whole-message exchanges into a byte stream are tested with a plain buffer standing in for
 * the mapping and a fake Pageant.
 */
class PageantWindowFramingTest {

    @Test
    void requestsGoWholeThroughTheMappingAndAnswersComeBackFramed() throws Exception {
        ByteBuffer mapping = ByteBuffer.allocate(PageantWindowConnector.MAPPING_SIZE);
        List<Integer> seen = new ArrayList<>();
        MessageExchangeChannel channel = new MessageExchangeChannel(framed -> {
            PageantWindowConnector.writeRequest(mapping, framed);
            seen.add(mapping.getInt(0)); // Pageant reads the length, then the message
            byte[] answer = AgentMessages.identitiesAnswer(List.of());
            mapping.putInt(0, answer.length).put(4, answer); // Pageant answers in place
            return PageantWindowConnector.readAnswer(mapping);
        });
        LocalAgentConnection connection = new LocalAgentConnection(channel, "pageant window");

        byte[] answer = connection.request(AgentMessages.requestIdentities()).get(5, TimeUnit.SECONDS);
        byte[] again = connection.request(AgentMessages.requestIdentities()).get(5, TimeUnit.SECONDS);

        assertThat(AgentMessages.identities(answer)).isEmpty();
        assertThat(AgentMessages.identities(again)).isEmpty();
        assertThat(seen).containsExactly(1, 1);
        connection.close();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void oversizedRequestsAndNonsenseAnswersAreRefused() {
        ByteBuffer mapping = ByteBuffer.allocate(64);
        assertThatThrownBy(() -> PageantWindowConnector.writeRequest(mapping, new byte[65])).hasMessageContaining("does not fit");
        mapping.putInt(0, 1000);
        assertThatThrownBy(() -> PageantWindowConnector.readAnswer(mapping)).hasMessageContaining("answered with 1000 bytes");
        assertThat(PageantWindowConnector.available()).as("not Windows").isFalse();
    }
}
