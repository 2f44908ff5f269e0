package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.DefaultCloseFuture;
import org.apache.sshd.common.io.IoWriteFuture;

/** A channel's data stream whose graceful close sends the channel's EOF once everything written has gone out. */
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
}
