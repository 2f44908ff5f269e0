package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.channel.Window;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.DefaultCloseFuture;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * A channel's data stream whose graceful close sends the channel's EOF once everything written has gone out, and which
 * sends a {@link ChannelDataPacket} written in one piece as it is, without copying its data into a new packet. A
 * packet the peer's window takes whole, written while nothing else waits, goes straight to the session: sshd's own
 * path would first wrap it in a future of its own and a listener, a cost paid on every request's packets.
 */
final class EofOnCloseOutputStream extends ChannelAsyncOutputStream {
    private final Channel channel;

    /** The channel's part this stream needs: its id, lock and EOF. */
    interface Channel extends org.apache.sshd.common.channel.Channel {
        Object lock();

        IoWriteFuture eof() throws IOException;
    }

    EofOnCloseOutputStream(Channel channel) {
        super(channel, SshConstants.SSH_MSG_CHANNEL_DATA);
        this.channel = channel;
    }

    @Override
    public IoWriteFuture writeBuffer(Buffer buffer) throws IOException {
        if (buffer instanceof ChannelDataPacket packet) {
            IoWriteFuture sent = sendNow(packet);
            if (sent != null) {
                return sent;
            }
        }
        return super.writeBuffer(buffer);
    }

    /**
     * Sends {@code packet} to the session if the stream is open, the last write went out and the peer's window and
     * packet size take it whole; null (nothing done) otherwise. Under sshd's write lock, so neither path can overtake
     * the other, and recorded as the last write, so a graceful close waits for it.
     */
    private @Nullable IoWriteFuture sendNow(ChannelDataPacket packet) throws IOException {
        int length = packet.available();
        Window remote = channel.getRemoteWindow();
        synchronized (writeState) {
            IoWriteFuture last = lastWrite.get();
            if (isClosing() || (last != null && !last.isDone())
                    || length > remote.getSize() || length > remote.getPacketSize()) {
                return null;
            }
            remote.consume(length);
            IoWriteFuture sent = channel.writePacket(packet.seal(channel.getRecipient()));
            lastWrite.set(sent);
            return sent;
        }
    }

    @Override
    protected CloseFuture doCloseGracefully() {
        DefaultCloseFuture eofSent = new DefaultCloseFuture(channel.getChannelId(), channel.lock());
        super.doCloseGracefully().addListener(written -> {
            try {
                IoWriteFuture eof = channel.eof();
                if (eof != null) {
                    eof.addListener(f -> eofSent.setClosed());
                    return;
                }
            } catch (IOException e) {
                channel.getSession().exceptionCaught(e);
            }
            eofSent.setClosed();
        });
        return eofSent;
    }

    @Override
    protected Buffer createSendBuffer(Buffer buffer, org.apache.sshd.common.channel.Channel target, int length) {
        if (buffer instanceof ChannelDataPacket packet && length == packet.available()) {
            return packet.seal(target.getRecipient());
        }
        return super.createSendBuffer(buffer, target, length);
    }
}
