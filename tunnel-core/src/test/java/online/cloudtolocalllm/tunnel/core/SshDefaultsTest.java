package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.helpers.AbstractFactoryManager;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;

/** The engine settings both of our ends apply. */
class SshDefaultsTest {

    @Test
    void bothEndsAnnounceDataPacketsOf64KiBAndNodelayWithoutAnIdleTimeout() {
        SshClient client = SshClient.setUpDefaultClient();
        SshServer server = SshServer.setUpDefaultServer();
        SshDefaults.apply(client, ClientBuilder.DH2KEX);
        SshDefaults.apply(server, ServerBuilder.DH2KEX);

        for (AbstractFactoryManager manager : List.<AbstractFactoryManager>of(client, server)) {
            assertThat(CoreModuleProperties.MAX_PACKET_SIZE.getRequired(manager)).isEqualTo(64 * 1024L);
            assertThat(CoreModuleProperties.TCP_NODELAY.getRequired(manager)).isTrue();
            assertThat(CoreModuleProperties.IDLE_TIMEOUT.getRequired(manager)).isZero();
        }
    }
}
