package online.cloudtolocalllm.tunnel.core;

import online.cloudtolocalllm.tunnel.api.ExposedService;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.helpers.AbstractConnectionServiceRequestHandler;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.session.ServerSession;

/**
 * Handles {@code tcpip-forward} and {@code cancel-tcpip-forward} by registering and removing named services
 * instead of binding ports: the server reaches them through ingress, its API and optional TCP listeners.
 */
final class ServiceRegistrationHandler extends AbstractConnectionServiceRequestHandler {
    static final String FORWARD = "tcpip-forward";
    static final String CANCEL = "cancel-tcpip-forward";
    /** The port reported for a request that asked for port 0: any number works, the name is what routes. */
    static final int ALLOCATED_PORT = 80;

    private final ServerRoutes routes;

    ServiceRegistrationHandler(ServerRoutes routes) {
        this.routes = routes;
    }

    @Override
    public RequestHandler.Result process(ConnectionService connection, String request, boolean wantReply, Buffer buffer)
            throws Exception {
        if (!FORWARD.equals(request) && !CANCEL.equals(request)) {
            return super.process(connection, request, wantReply, buffer);
        }
        Session session = connection.getSession();
        if (!(session instanceof ServerSession server) || !server.isAuthenticated()) {
            return RequestHandler.Result.ReplyFailure;
        }
        String address = buffer.getString();
        int port = buffer.getInt();
        String name = ServiceNames.fromForwardRequest(address, port);
        if (CANCEL.equals(request)) {
            routes.unregister(server, name);
            return RequestHandler.Result.ReplySuccess;
        }
        try {
            ExposedService.requireValidName(name);
        } catch (IllegalArgumentException e) {
            routes.refuse(server, name, e.getMessage());
            return RequestHandler.Result.ReplyFailure;
        }
        int bindPort = port == 0 ? ALLOCATED_PORT : port;
        if (!routes.register(server, name, address, bindPort)) {
            return RequestHandler.Result.ReplyFailure;
        }
        if (wantReply) {
            Buffer reply = session.createBuffer(SshConstants.SSH_MSG_REQUEST_SUCCESS, 4);
            reply.putUInt(bindPort);
            session.writePacket(reply);
        }
        return RequestHandler.Result.Replied;
    }
}
