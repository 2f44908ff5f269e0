package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.spi.LocalConnection;
import online.cloudtolocalllm.tunnel.spi.LocalConnector;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.Closeable;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.apache.sshd.server.channel.AbstractServerChannel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client side of a {@code forwarded-tcpip} open whose local connection runs on the transport's own I/O thread
 * ({@link LocalConnector}): tunnel bytes go to the service and the service's bytes into the channel without a thread
 * hand-off. What the service sends is copied once, into {@link ChannelDataPacket}s that sshd encrypts and sends in
 * place, and that large reads fill again once sent ({@link SparePackets}). Window is given back once the service's
 * socket took the bytes; the service is read only while the channel has taken what was read before. A refused local
 * connection reaches the server as "connect failed".
 */
final class LoopLocalServiceChannel extends AbstractServerChannel implements LocalConnection.Receiver, EofOnCloseOutputStream.Channel {
    private static final Logger LOG = LoggerFactory.getLogger(LoopLocalServiceChannel.class);

    private final Map<String, ExposedService> services;
    private final LocalConnector connector;
    private final Object lock = new Object();
    private final ArrayDeque<ChannelDataPacket> toTunnel = new ArrayDeque<>();
    private volatile @Nullable LocalConnection local;
    private @Nullable ChannelAsyncOutputStream out;
    private @Nullable SparePackets packets;
    private boolean sending;
    private boolean paused;
    private boolean serviceEnded;

    LoopLocalServiceChannel(Map<String, ExposedService> services, LocalConnector connector) {
        super("", List.of(), null);
        this.services = services;
        this.connector = connector;
        addCloseFutureListener(f -> {
            LocalConnection connection = local;
            if (connection != null) {
                connection.close();
            }
        });
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        ForwardedOpen open = ForwardedOpen.read(buffer);
        Optional<ExposedService> target = open.target(services);
        OpenFuture opened = new DefaultOpenFuture(open.connectedAddress(), futureLock);
        if (target.isEmpty()) {
            opened.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
                    open.refusal()));
            close(true);
            return opened;
        }
        out = new EofOnCloseOutputStream(this);
        packets = new SparePackets(getSession(), getRemoteWindow().getPacketSize());
        connector.connect(target.get().host(), target.get().port(), this).whenComplete((connection, failure) -> {
            if (failure != null) {
                // sshd sends the server only the reason code, so the cause is told here
                LOG.info("Cannot connect to {}:{} for {}: {}", target.get().host(), target.get().port(),
                        open.connectedAddress(), failure.toString());
                signalChannelOpenFailure(failure);
                opened.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_CONNECT_FAILED,
                        "Cannot connect to " + target.get().host() + ":" + target.get().port() + ": " + failure.getMessage(),
                        failure));
                close(true);
                return;
            }
            local = connection;
            signalChannelOpenSuccess();
            opened.setOpened();
            // the open confirmation is out: the service's bytes may follow it
            connection.resumeReads();
        });
        return opened;
    }

    // ---- tunnel to service

    @Override
    protected void doWriteData(byte[] data, int off, long len) {
        LocalConnection connection = local;
        if (connection == null || isClosing()) {
            return;
        }
        int length = (int) len;
        connection.write(data, off, length, () -> release(length));
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        throw new IOException("A forwarded-tcpip channel carries no extended data");
    }

    private void release(int bytes) {
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
    public void handleEof() throws IOException {
        super.handleEof();
        LocalConnection connection = local;
        if (connection != null) {
            connection.shutdownOutput();
        }
    }

    // ---- service to tunnel, on the connector's thread

    @Override
    public void onData(ByteBuffer data) {
        if (isClosing()) {
            return;
        }
        SparePackets spare = Objects.requireNonNull(packets);
        while (data.hasRemaining()) {
            ChannelDataPacket packet = spare.take(data.remaining());
            packet.readFrom(data);
            synchronized (lock) {
                toTunnel.add(packet);
            }
        }
        sendNext();
    }

    @Override
    public void onEnd() {
        synchronized (lock) {
            serviceEnded = true;
        }
        sendNext();
    }

    @Override
    public void onClosed() {
        close(false);
    }

    /**
     * Writes the next waiting chunk into the channel. Reading from the service pauses only while a write waits for
     * the tunnel (window or transport full), and resumes when it went out.
     */
    private void sendNext() {
        ChannelAsyncOutputStream stream = out;
        LocalConnection connection = local;
        if (stream == null || connection == null) {
            return;
        }
        ChannelDataPacket next;
        synchronized (lock) {
            if (sending) {
                return;
            }
            next = toTunnel.poll();
            if (next == null) {
                if (paused) {
                    paused = false;
                    connection.resumeReads();
                }
                if (serviceEnded) {
                    serviceEnded = false;
                    stream.close(false);
                }
                return;
            }
            sending = true;
        }
        IoWriteFuture written;
        try {
            // as an sshd-internal thread: during a key exchange the packet is queued instead of blocking the loop
            // that must carry the key exchange
            written = ThreadUtils.runAsInternal(next, stream::writeBuffer);
        } catch (IOException | RuntimeException e) {
            close(true);
            return;
        }
        synchronized (lock) {
            if (sending && !written.isDone() && !paused) {
                paused = true;
                connection.pauseReads();
            }
        }
        written.addListener(f -> {
            synchronized (lock) {
                sending = false;
            }
            if (f.getException() != null) {
                close(true);
            } else {
                Objects.requireNonNull(packets).sent(next);
                sendNext();
            }
        });
    }

    @Override
    public void handleWindowAdjust(Buffer buffer) throws IOException {
        super.handleWindowAdjust(buffer);
        ChannelAsyncOutputStream stream = out;
        if (stream != null) {
            stream.onWindowExpanded();
        }
    }

    @Override
    protected boolean mayWrite() {
        // the output stream flushes while the channel closes
        return !isClosed();
    }

    @Override
    protected Closeable getInnerCloseable() {
        ChannelAsyncOutputStream stream = out;
        return stream == null ? super.getInnerCloseable()
                : builder().close(stream).close(super.getInnerCloseable()).build();
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
