package online.cloudtolocalllm.tunnel.agent;

import java.io.RandomAccessFile;
import java.nio.channels.ByteChannel;
import java.nio.file.Path;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/**
 * Opens connections to one local SSH agent; every kind of agent speaks the same framed protocol over what it
 * returns. {@link #unixSocket} reaches OpenSSH's ssh-agent and gpg-agent, {@link #namedPipe} the Windows OpenSSH
 * agent and Pageant.
 */
public interface AgentConnector {

    /** Where the agent is: a socket path or a pipe name. */
    String location();

    /**
     * Opens a connection. Throws a {@link TunnelException} with {@link ErrorCode#AGENT_SOCKET_MISSING} or
     * {@link ErrorCode#AGENT_PERMISSION_DENIED}.
     */
    ByteChannel open();

    /** An agent on a Unix-domain socket, such as {@code $SSH_AUTH_SOCK}. */
    static AgentConnector unixSocket(Path socket) {
        return new UnixSocketConnector(socket);
    }

    /** An agent on a Windows named pipe, such as {@code \\.\pipe\openssh-ssh-agent} or Pageant's. */
    static AgentConnector namedPipe(String pipe) {
        return new NamedPipeConnector(pipe, name -> new RandomAccessFile(name, "rw").getChannel());
    }
}
