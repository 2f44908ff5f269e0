package online.cloudtolocalllm.tunnel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.file.AccessDeniedException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.junit.jupiter.api.Test;

/**
 * The Windows named pipe path (the OpenSSH agent's pipe, Pageant's) against a fake pipe, since Windows is not
 * here: the framing survives a pipe that moves one byte at a time, and open failures get their stable codes.
 */
class NamedPipeConnectorTest {

    /** A pipe to an agent that answers each framed request with an identities answer naming what it received. */
    private static class FakeAgentPipe implements ByteChannel {
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private final ArrayDeque<Byte> toRead = new ArrayDeque<>();
        final List<String> requests = new java.util.ArrayList<>();
        private boolean open = true;

        @Override
        public int write(ByteBuffer source) {
            int n = Math.min(1, source.remaining()); // one byte per write, as a pipe may take it
            written.write(source.get());
            byte[] all = written.toByteArray();
            if (all.length >= 4) {
                int length = ByteBuffer.wrap(all).getInt();
                if (all.length == 4 + length) {
                    requests.add(Integer.toString(all[4]));
                    written.reset();
                    byte[] answer = AgentMessages.identitiesAnswer(List.of(new AgentMessages.Identity(new byte[] {0, 0, 0, 1, 'k'},
                            "request " + all[4])));
                    ByteBuffer framed = ByteBuffer.allocate(4 + answer.length).putInt(answer.length).put(answer).flip();
                    while (framed.hasRemaining()) {
                        toRead.add(framed.get());
                    }
                }
            }
            return n;
        }

        @Override
        public int read(ByteBuffer target) {
            if (toRead.isEmpty()) {
                return -1;
            }
            target.put(toRead.poll()); // one byte per read
            return 1;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    @Test
    void requestsAndAnswersAreFramedOverAPipeThatMovesOneByteAtATime() throws Exception {
        FakeAgentPipe pipe = new FakeAgentPipe();
        NamedPipeConnector connector = new NamedPipeConnector(AgentDiscovery.WINDOWS_OPENSSH_PIPE, name -> pipe);

        LocalAgentConnection connection = new LocalAgentConnection(connector.open(), connector.location());
        byte[] first = connection.request(AgentMessages.requestIdentities()).get(5, TimeUnit.SECONDS);
        byte[] second = connection.request(AgentMessages.requestIdentities()).get(5, TimeUnit.SECONDS);

        assertThat(AgentMessages.identities(first)).singleElement().extracting(AgentMessages.Identity::comment).isEqualTo("request 11");
        assertThat(AgentMessages.identities(second)).hasSize(1);
        assertThat(pipe.requests).containsExactly("11", "11");
        connection.close();
        assertThat(pipe.isOpen()).isFalse();
        assertThat(connection.closeFuture()).isDone();
    }

    @Test
    void anAgentThatHangsUpMidAnswerEndsTheConversationWithTunnel014() throws Exception {
        FakeAgentPipe pipe = new FakeAgentPipe() {
            @Override
            public int read(ByteBuffer target) {
                return -1;
            }
        };
        LocalAgentConnection connection = new LocalAgentConnection(pipe, "pageant");

        assertThatThrownBy(() -> connection.request(AgentMessages.requestIdentities()).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(TunnelException.class).hasMessageStartingWith("TUNNEL_014: The SSH agent at pageant closed the connection");
        assertThat(connection.closeFuture()).isDone();
    }

    @Test
    void openFailuresHaveStableCodes() {
        assertThat(code(new FileNotFoundException("\\\\.\\pipe\\openssh-ssh-agent (The system cannot find the file specified)")))
                .isEqualTo(ErrorCode.AGENT_SOCKET_MISSING);
        assertThat(code(new FileNotFoundException("\\\\.\\pipe\\openssh-ssh-agent (Access is denied)")))
                .isEqualTo(ErrorCode.AGENT_PERMISSION_DENIED);
        assertThat(code(new AccessDeniedException("/run/user/1000/agent.sock"))).isEqualTo(ErrorCode.AGENT_PERMISSION_DENIED);
        assertThat(code(new SocketException("Permission denied"))).isEqualTo(ErrorCode.AGENT_PERMISSION_DENIED);
        assertThat(code(new SocketException("Connection refused"))).isEqualTo(ErrorCode.AGENT_SOCKET_MISSING);
        assertThat(AgentFailures.classify("/s", new SocketException("Connection refused")))
                .hasMessage("TUNNEL_014: No SSH agent listens on /s (a stale socket of an agent that stopped?)");
    }

    private static ErrorCode code(IOException failure) {
        NamedPipeConnector connector = new NamedPipeConnector("\\\\.\\pipe\\x", name -> {
            throw failure;
        });
        try {
            connector.open();
            throw new AssertionError("opened");
        } catch (TunnelException e) {
            return e.code();
        }
    }
}
