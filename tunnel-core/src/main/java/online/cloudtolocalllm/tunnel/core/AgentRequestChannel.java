package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.sshd.client.channel.AbstractClientChannel;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * Client side: the {@code session} channel that carries {@code auth-agent-req@openssh.com}, as OpenSSH sends it
 * on a session channel. It runs no command; the forwarding lasts as long as it stays open.
 */
final class AgentRequestChannel extends AbstractClientChannel implements UncountedChannel {
    static final String SESSION = "session";
    static final String AGENT_REQUEST = "auth-agent-req@openssh.com";

    private final CompletableFuture<Boolean> reply = new CompletableFuture<>();

    AgentRequestChannel() {
        super(SESSION);
        addCloseFutureListener(f -> reply.complete(false));
    }

    @Override
    protected void doOpen() {
        // no streams: nothing is sent on this channel but the request
    }

    /** Sends the request; completes with whether the server accepted it. */
    CompletableFuture<Boolean> requestForwarding() {
        try {
            Buffer buffer = getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, AGENT_REQUEST.length() + 16);
            buffer.putUInt(getRecipient());
            buffer.putString(AGENT_REQUEST);
            buffer.putBoolean(true);
            writePacket(buffer);
        } catch (IOException e) {
            reply.completeExceptionally(e);
        }
        return reply;
    }

    @Override
    public void handleSuccess() {
        reply.complete(true);
    }

    @Override
    public void handleFailure() {
        reply.complete(false);
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        getLocalWindow().release(len);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        getLocalWindow().release(len);
    }
}
