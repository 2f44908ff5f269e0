package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.DefaultCloseFuture;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * A channel's data stream whose graceful close sends the channel's EOF once everything written has gone out, and which
 * sends a {@link ChannelDataPacket} written in one piece as it is, without copying its data into a new packet.
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
