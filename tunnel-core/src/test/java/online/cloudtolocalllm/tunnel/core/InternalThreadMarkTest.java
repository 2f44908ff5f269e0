package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.FrameHandler;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.junit.jupiter.api.Test;

/** The threads that deliver frames stay sshd-internal after each frame, so sshd need not mark them per call. */
class InternalThreadMarkTest {

    @Test
    void aMarkedThreadStaysInternalAcrossSshdsOwnInternalCalls() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            boolean before = thread.submit(ThreadUtils::isInternalThread).get(10, TimeUnit.SECONDS);
            boolean afterSshdCall = thread.submit(() -> {
                ThreadUtils.runAsInternal(null, ignored -> null);
                return ThreadUtils.isInternalThread();
            }).get(10, TimeUnit.SECONDS);
            boolean marked = thread.submit(() -> {
                InternalThreadMark.markCurrentThread();
                ThreadUtils.runAsInternal(null, ignored -> null);
                return ThreadUtils.isInternalThread();
            }).get(10, TimeUnit.SECONDS);

            assertThat(before).as("a new thread").isFalse();
            assertThat(afterSshdCall).as("sshd unmarks a thread it marked for one call").isFalse();
            assertThat(marked).as("marked for good").isTrue();
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void theThreadThatDeliversAFrameIsMarked() throws Exception {
        AtomicBoolean handed = new AtomicBoolean();
        IoHandler handler = new IoHandler() {
            @Override
            public void sessionCreated(IoSession session) {
            }

            @Override
            public void sessionClosed(IoSession session) {
            }

            @Override
            public void exceptionCaught(IoSession session, Throwable cause) {
            }

            @Override
            public void messageReceived(IoSession session, Readable message) {
                handed.set(true);
            }
        };
        FrameIoService service = new FrameIoService(handler, new TrafficCounters(null)) {
        };
        FrameIoSession session = service.open(new IdleConnection(), false, null);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            boolean marked = thread.submit(() -> {
                session.onFrame(ByteBuffer.wrap("SSH-2.0-test\r\n".getBytes(StandardCharsets.US_ASCII)));
                return ThreadUtils.isInternalThread();
            }).get(10, TimeUnit.SECONDS);

            assertThat(handed).isTrue();
            assertThat(marked).isTrue();
        } finally {
            thread.shutdownNow();
            service.close(true);
        }
    }

    /** A connection that takes every frame and never delivers one by itself. */
    private static final class IdleConnection implements FrameConnection {
        @Override
        public void start(FrameHandler handler) {
        }

        @Override
        public CompletableFuture<Void> send(ByteBuffer frame) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void suspendReads() {
        }

        @Override
        public void resumeReads() {
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public SocketAddress localAddress() {
            return new InetSocketAddress(0);
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress(0);
        }
    }
}
