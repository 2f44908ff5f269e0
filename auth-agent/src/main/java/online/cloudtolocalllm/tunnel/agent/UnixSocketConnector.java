package online.cloudtolocalllm.tunnel.agent;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** An agent on a Unix-domain socket (OpenSSH's ssh-agent, gpg-agent), reached without native code. */
record UnixSocketConnector(Path socket) implements AgentConnector {

    @Override
    public String location() {
        return socket.toString();
    }

    @Override
    public ByteChannel open() {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw AgentFailures.socketMissing("The SSH agent socket " + socket + " does not exist (is the agent running?)", null);
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // reporting the connect failure
                }
            }
            throw AgentFailures.classify(location(), e);
        }
    }
}
