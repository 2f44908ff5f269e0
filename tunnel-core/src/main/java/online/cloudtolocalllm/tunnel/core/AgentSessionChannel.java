package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.AbstractServerChannel;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of a {@code session} channel: it takes {@code auth-agent-req@openssh.com} and nothing else (no shell,
 * no command). The forwarding it starts lasts as long as the channel.
 */
final class AgentSessionChannel extends AbstractServerChannel implements UncountedChannel {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSessionChannel.class);

    private final ServerAgents agents;

    private AgentSessionChannel(ServerAgents agents) {
        super(null);
        this.agents = agents;
        addCloseFutureListener(f -> agents.ended(this));
    }

    @Override
    protected RequestHandler.Result handleInternalRequest(String request, boolean wantReply, Buffer buffer) throws IOException {
        if (AgentRequestChannel.AGENT_REQUEST.equals(request)) {
            return agents.requested((ServerSession) getSession(), this)
                    ? RequestHandler.Result.ReplySuccess : RequestHandler.Result.ReplyFailure;
        }
        RequestHandler.Result internal = super.handleInternalRequest(request, wantReply, buffer);
        if (internal != RequestHandler.Result.Unsupported) {
            return internal;
        }
        LOG.info("Session request '{}' of '{}' refused: sessions here only forward agents", request, getSession().getUsername());
        return RequestHandler.Result.ReplyFailure;
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        getLocalWindow().release(len);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        getLocalWindow().release(len);
    }

    /** Makes an {@link AgentSessionChannel} for each {@code session} open. */
    static ChannelFactory factory(ServerAgents agents) {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return AgentRequestChannel.SESSION;
            }

            @Override
            public Channel createChannel(Session session) {
                return new AgentSessionChannel(agents);
            }
        };
    }
}
