package online.cloudtolocalllm.tunnel.core;

import java.lang.reflect.Field;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks the threads that deliver SSH frames (a transport's event loop or reader) as sshd-internal for good. sshd asks
 * whether a thread is internal before it writes during a key exchange (an internal thread's packet is queued, any
 * other thread waits) and otherwise marks a thread only for the length of each call: every received packet, every
 * listener notified and every write made from outside set the mark and remove it again, a new weak thread-local entry
 * each time, 2-3 % of the server's CPU at 512 connections. A thread that delivers frames must never wait for a key
 * exchange that its own next frame completes, so it can keep the mark.
 */
final class InternalThreadMark {
    private static final Logger LOG = LoggerFactory.getLogger(InternalThreadMark.class);
    private static final @Nullable ThreadLocal<Boolean> SSHD_MARK = sshdMark();

    private InternalThreadMark() {
    }

    /** Marks the calling thread, one that delivers frames. */
    static void markCurrentThread() {
        if (SSHD_MARK != null && !ThreadUtils.isInternalThread()) {
            SSHD_MARK.set(Boolean.TRUE);
        }
    }

    /** sshd's own mark, or null (and calls stay marked one by one, as sshd does) if this sshd keeps it elsewhere. */
    @SuppressWarnings("unchecked")
    private static @Nullable ThreadLocal<Boolean> sshdMark() {
        try {
            Field field = ThreadUtils.class.getDeclaredField("IS_INTERNAL_THREAD");
            field.setAccessible(true);
            return (ThreadLocal<Boolean>) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("sshd's internal-thread mark is not reachable ({}): threads are marked per call", e.toString());
            return null;
        }
    }
}
