package online.cloudtolocalllm.tunnel.core;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.spi.ClientTransport;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.io.DefaultIoConnectFuture;
import org.apache.sshd.common.io.IoConnectFuture;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.jspecify.annotations.Nullable;

/** sshd's connector over a {@link ClientTransport}: the target URI comes from the {@link TransportTarget} in the context. */
final class FrameIoConnector extends FrameIoService implements IoConnector {
    private final ClientTransport transport;

    FrameIoConnector(IoHandler handler, ClientTransport transport, TrafficCounters counters) {
        super(handler, counters);
        this.transport = transport;
    }

    @Override
    public IoConnectFuture connect(SocketAddress address, @Nullable AttributeRepository context,
            @Nullable SocketAddress localAddress) {
        DefaultIoConnectFuture future = new DefaultIoConnectFuture(address, null);
        TransportTarget target = context == null ? null : context.getAttribute(TransportTarget.KEY);
        if (target == null) {
            future.setException(new TunnelException(ErrorCode.CONFIGURATION_ERROR, "No transport target for " + address));
            return future;
        }
        CompletableFuture<FrameConnection> connecting = transport.connect(target.uri(), target.headers());
        future.addListener(f -> {
            if (f.isCanceled()) {
                connecting.cancel(false);
            }
        });
        connecting.whenComplete((connection, failure) -> {
            if (failure != null) {
                future.setException(TunnelException.wrap(failure, ErrorCode.SERVER_UNAVAILABLE));
                return;
            }
            if (future.isCanceled()) {
                connection.close(CloseCodes.NORMAL, "connect cancelled");
                return;
            }
            try {
                FrameIoSession session = open(connection, false, context);
                future.setSession(session);
                connection.start(session);
            } catch (Exception e) {
                connection.close(CloseCodes.INTERNAL_ERROR, "session setup failed");
                future.setException(e);
            }
        });
        return future;
    }
}
