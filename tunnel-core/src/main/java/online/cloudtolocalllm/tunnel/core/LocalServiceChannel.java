package online.cloudtolocalllm.tunnel.core;

import java.util.Map;
import java.util.Optional;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.spi.LocalConnector;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.TcpipServerChannel;

/**
 * Client side of a {@code forwarded-tcpip} open: maps the service name the server sent to the exposed service's
 * local address, then lets sshd's TCP/IP channel connect and pump. A refused local connection reaches the server
 * as "connect failed", which it reports as TUNNEL_001.
 */
final class LocalServiceChannel extends TcpipServerChannel {
    private final Map<String, ExposedService> services;

    private LocalServiceChannel(Map<String, ExposedService> services) {
        super(TcpForwardingFilter.Type.Direct, null);
        this.services = services;
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        ForwardedOpen open = ForwardedOpen.read(buffer);
        Optional<ExposedService> target = open.target(services);
        if (target.isEmpty()) {
            DefaultOpenFuture refused = new DefaultOpenFuture(open.connectedAddress(), futureLock);
            refused.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
                    open.refusal()));
            close(true);
            return refused;
        }
        Buffer direct = new ByteArrayBuffer();
        direct.putString(target.get().host());
        direct.putUInt(target.get().port());
        direct.putString(open.originHost());
        direct.putUInt(open.originPort());
        return super.doInit(direct);
    }

    /**
     * Makes a channel for each {@code forwarded-tcpip} open: one that connects on the transport's own I/O thread
     * when the transport offers that ({@link LoopLocalServiceChannel}), else this one, through sshd's socket I/O.
     */
    static ChannelFactory factory(Map<String, ExposedService> services) {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return StreamChannel.FORWARDED;
            }

            @Override
            public Channel createChannel(Session session) {
                if (session.getIoSession() instanceof FrameIoSession frames) {
                    Optional<LocalConnector> connector = frames.connection().localConnector();
                    if (connector.isPresent()) {
                        return new LoopLocalServiceChannel(services, connector.get());
                    }
                }
                return new LocalServiceChannel(services);
            }
        };
    }
}
