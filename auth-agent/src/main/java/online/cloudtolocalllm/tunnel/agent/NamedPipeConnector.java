package online.cloudtolocalllm.tunnel.agent;

import java.io.IOException;
import java.nio.channels.ByteChannel;

/**
 * An agent on a Windows named pipe: the Windows OpenSSH agent ({@code \\.\pipe\openssh-ssh-agent}) and Pageant
 * (0.75 and later) both speak the framed agent protocol on theirs, and a pipe opens like a file, without native
 * code. Untested on Windows until someone runs it there; its framing is tested against a fake pipe.
 */
record NamedPipeConnector(String pipe, PipeOpener opener) implements AgentConnector {

    /** Opens a named pipe; tests give a fake one. */
    @FunctionalInterface
    interface PipeOpener {
        ByteChannel open(String pipe) throws IOException;
    }

    @Override
    public String location() {
        return pipe;
    }

    @Override
    public ByteChannel open() {
        try {
            return opener.open(pipe);
        } catch (IOException e) {
            throw AgentFailures.classify(pipe, e);
        }
    }
}
