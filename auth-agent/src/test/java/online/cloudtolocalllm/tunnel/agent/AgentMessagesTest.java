package online.cloudtolocalllm.tunnel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.List;
import online.cloudtolocalllm.tunnel.core.KeyFiles;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.Test;

/** The agent protocol codec reads what requests ask and writes and reads the answers forwarding needs. */
class AgentMessagesTest {
    private static byte[] blob(KeyPair key) {
        ByteArrayBuffer buffer = new ByteArrayBuffer();
        buffer.putRawPublicKey(key.getPublic());
        return buffer.getCompactData();
    }

    @Test
    void aSignRequestNamesItsKeyAndFlags() {
        KeyPair key = KeyFiles.generateEd25519();
        byte[] request = AgentMessages.signRequest(blob(key), new byte[] {1, 2, 3}, AgentMessages.RSA_SHA2_512);

        AgentMessages.Request parsed = AgentMessages.parse(request);

        assertThat(parsed.operation()).isEqualTo(AgentOperation.SIGN);
        assertThat(parsed.flags()).isEqualTo(AgentMessages.RSA_SHA2_512);
        assertThat(parsed.fingerprint()).isEqualTo(KeyFiles.fingerprint(key.getPublic()));
        assertThat(AgentMessages.keyType(parsed.keyBlob())).isEqualTo("ssh-ed25519");
    }

    @Test
    void everyMessageTypeMapsToItsOperationAndMalformedOnesAreUnknown() {
        assertThat(AgentMessages.parse(new byte[] {11}).operation()).isEqualTo(AgentOperation.LIST_IDENTITIES);
        assertThat(AgentMessages.parse(new byte[] {17}).operation()).isEqualTo(AgentOperation.ADD_IDENTITY);
        assertThat(AgentMessages.parse(new byte[] {25}).operation()).isEqualTo(AgentOperation.ADD_IDENTITY);
        assertThat(AgentMessages.parse(new byte[] {19}).operation()).isEqualTo(AgentOperation.REMOVE_ALL_IDENTITIES);
        assertThat(AgentMessages.parse(new byte[] {22}).operation()).isEqualTo(AgentOperation.LOCK);
        assertThat(AgentMessages.parse(new byte[] {23}).operation()).isEqualTo(AgentOperation.UNLOCK);
        assertThat(AgentMessages.parse(new byte[] {1}).operation()).as("SSH1 messages").isEqualTo(AgentOperation.UNKNOWN);
        assertThat(AgentMessages.parse(new byte[] {13, 0, 0, 0, 9}).operation()).as("truncated").isEqualTo(AgentOperation.UNKNOWN);
        assertThat(AgentMessages.parse(new byte[0]).operation()).isEqualTo(AgentOperation.UNKNOWN);
        byte[] extension = {27, 0, 0, 0, 24, 's', 'e', 's', 's', 'i', 'o', 'n', '-', 'b', 'i', 'n', 'd', '@', 'o', 'p', 'e', 'n',
            's', 's', 'h', '.', 'c', 'o', 'm'};
        assertThat(AgentMessages.parse(extension).extension()).isEqualTo("session-bind@openssh.com");
    }

    @Test
    void identitiesAnswersRoundTripAndOtherAnswersAreRefused() {
        KeyPair first = KeyFiles.generateEd25519();
        KeyPair second = KeyFiles.generateEd25519();
        byte[] answer = AgentMessages.identitiesAnswer(List.of(new AgentMessages.Identity(blob(first), "one"),
                new AgentMessages.Identity(blob(second), "two")));

        List<AgentMessages.Identity> identities = AgentMessages.identities(answer);

        assertThat(identities).extracting(AgentMessages.Identity::comment).containsExactly("one", "two");
        assertThat(identities.get(1).fingerprint()).isEqualTo(KeyFiles.fingerprint(second.getPublic()));
        assertThatThrownBy(() -> AgentMessages.identities(AgentMessages.failure())).hasMessageContaining("got message type 5");
        assertThatThrownBy(() -> AgentMessages.identities(new byte[] {12, 0, 0, 0, 1})).hasMessageContaining("truncated");
        assertThat(AgentMessages.signature(AgentMessages.signResponse(new byte[] {7, 8}))).containsExactly(7, 8);
    }

    @Test
    void failuresAreRecognised() {
        assertThat(AgentMessages.succeeded(AgentMessages.failure())).isFalse();
        assertThat(AgentMessages.succeeded(new byte[] {AgentMessages.EXTENSION_FAILURE})).isFalse();
        assertThat(AgentMessages.succeeded(new byte[] {AgentMessages.SUCCESS})).isTrue();
        assertThat(AgentMessages.succeeded(new byte[0])).isFalse();
    }
}
