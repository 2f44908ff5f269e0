package online.cloudtolocalllm.tunnel.core;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.io.IoSession;
import org.jspecify.annotations.Nullable;

/** Counts every channel of every session, whichever side opened it, into that session's counters. */
final class StreamCounting implements ChannelListener {
    static final StreamCounting INSTANCE = new StreamCounting();
    private static final AttributeKey<Boolean> OPENED = new AttributeKey<>();

    private StreamCounting() {
    }

    @Override
    public void channelOpenSuccess(Channel channel) {
        TrafficCounters counters = counters(channel);
        if (counters != null && channel.setAttribute(OPENED, Boolean.TRUE) == null) {
            counters.streamOpened();
        }
    }

    @Override
    public void channelOpenFailure(Channel channel, Throwable reason) {
        TrafficCounters counters = counters(channel);
        if (counters != null) {
            counters.error();
        }
    }

    @Override
    public void channelClosed(Channel channel, Throwable reason) {
        TrafficCounters counters = counters(channel);
        if (counters != null && channel.removeAttribute(OPENED) != null) {
            counters.streamClosed();
        }
    }

    static @Nullable TrafficCounters counters(org.apache.sshd.common.session.Session session) {
        IoSession io = session.getIoSession();
        return io instanceof FrameIoSession frames ? frames.counters() : null;
    }

    private static @Nullable TrafficCounters counters(Channel channel) {
        if (channel instanceof UncountedChannel) {
            return null;
        }
        return counters(channel.getSession());
    }
}
