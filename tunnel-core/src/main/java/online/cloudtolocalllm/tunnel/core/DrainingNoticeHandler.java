package online.cloudtolocalllm.tunnel.core;

import java.util.function.Predicate;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.helpers.AbstractConnectionServiceRequestHandler;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * The client's side of {@link DrainingNotice}: hands the notice to the client, which says whether it will move
 * (reply success) or stay until the server closes the session (reply failure).
 */
final class DrainingNoticeHandler extends AbstractConnectionServiceRequestHandler {
    private final Predicate<Session> movesAway;

    DrainingNoticeHandler(Predicate<Session> movesAway) {
        this.movesAway = movesAway;
    }

    @Override
    public RequestHandler.Result process(ConnectionService connection, String request, boolean wantReply, Buffer buffer)
            throws Exception {
        if (!DrainingNotice.REQUEST.equals(request)) {
            return super.process(connection, request, wantReply, buffer);
        }
        return movesAway.test(connection.getSession()) ? RequestHandler.Result.ReplySuccess : RequestHandler.Result.ReplyFailure;
    }
}
