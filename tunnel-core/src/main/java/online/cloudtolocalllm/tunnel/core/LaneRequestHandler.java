package online.cloudtolocalllm.tunnel.core;

import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.helpers.AbstractConnectionServiceRequestHandler;
import org.apache.sshd.common.util.buffer.Buffer;

/** Remembers the {@link Lane} a client announces on its session; a malformed one is refused and ignored. */
final class LaneRequestHandler extends AbstractConnectionServiceRequestHandler {
    static final LaneRequestHandler INSTANCE = new LaneRequestHandler();

    @Override
    public RequestHandler.Result process(ConnectionService connection, String request, boolean wantReply, Buffer buffer)
            throws Exception {
        if (!Lane.REQUEST.equals(request)) {
            return super.process(connection, request, wantReply, buffer);
        }
        try {
            connection.getSession().setAttribute(Lane.KEY, Lane.read(buffer));
            return RequestHandler.Result.ReplySuccess;
        } catch (RuntimeException e) {
            return RequestHandler.Result.ReplyFailure;
        }
    }
}
