package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import org.apache.sshd.client.channel.AbstractClientChannel;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.common.channel.StreamingChannel;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * A channel this side opens to carry one {@link ChannelTunnelStream}: {@code forwarded-tcpip} (server to a client's
 * service) or {@code direct-tcpip} (client to a target the server allows). Both open with the same four fields.
 */
final class StreamChannel extends AbstractClientChannel implements EofOnCloseOutputStream.Channel {
    static final String FORWARDED = "forwarded-tcpip";
    static final String DIRECT = "direct-tcpip";

    private final String host;
    private final int port;
    private final String originHost;
    private final int originPort;
    private final ChannelTunnelStream stream;

    StreamChannel(String type, String host, int port, String originHost, int originPort) {
        super(type);
        this.host = host;
        this.port = port;
        this.originHost = originHost;
        this.originPort = originPort;
        this.stream = new ChannelTunnelStream(this);
        setStreaming(StreamingChannel.Streaming.Async);
        addCloseFutureListener(f -> stream.onClosed());
    }

    ChannelTunnelStream stream() {
        return stream;
    }

    @Override
    public synchronized OpenFuture open() throws IOException {
        if (isClosing()) {
            throw new IOException("Session closing: cannot open " + getChannelType());
        }
        openFuture = new DefaultOpenFuture(host + ":" + port, futureLock);
        Session session = getSession();
        LocalWindow window = getLocalWindow();
        String type = getChannelType();
        Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_OPEN,
                type.length() + host.length() + originHost.length() + 64);
        buffer.putString(type);
        buffer.putUInt(getChannelId());
        buffer.putUInt(window.getSize());
        buffer.putUInt(window.getPacketSize());
        buffer.putString(host);
        buffer.putUInt(port);
        buffer.putString(originHost);
        buffer.putUInt(originPort);
        writePacket(buffer);
        return openFuture;
    }

    @Override
    protected void doOpen() {
        asyncIn = new EofOnCloseOutputStream(this);
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) {
        if (!isClosing()) {
            stream.onData(data, off, (int) len);
        }
    }

    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        stream.onEof();
    }

    /** Gives back {@code bytes} of window once the stream's reader has taken them. */
    void release(int bytes) {
        if (isClosing()) {
            return;
        }
        try {
            getLocalWindow().release(bytes);
        } catch (IOException e) {
            close(true);
        }
    }

    @Override
    public Object lock() {
        return futureLock;
    }

    @Override
    public IoWriteFuture eof() throws IOException {
        return sendEof();
    }
}
