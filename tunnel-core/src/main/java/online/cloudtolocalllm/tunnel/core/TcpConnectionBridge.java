package online.cloudtolocalllm.tunnel.core;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import online.cloudtolocalllm.tunnel.api.StreamReceiver;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import online.cloudtolocalllm.tunnel.spi.AcceptedConnection;
import online.cloudtolocalllm.tunnel.spi.LocalConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP connection a host accepted for one of the server's TCP listeners, bridged to a stream to the listener's
 * service on the host's I/O threads, without a thread of its own: what the caller sends is copied into SSH data
 * packets as it arrives (reading pauses while {@value #WRITES_IN_FLIGHT} are unsent, and sent packets are filled
 * again), what the service sends is written to the caller, its window given back as the caller's socket takes it. A
 * half-close passes through either way; the connection closes once both ways have ended.
 */
final class TcpConnectionBridge {
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnectionBridge.class);
    private static final int WRITES_IN_FLIGHT = 4;

    private final AcceptedConnection caller;
    private final TunnelStream stream;
    private final Queue<ChannelDataPacket> spare = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Pieces of the service's answer the caller's socket has not taken yet. */
    private final AtomicInteger unwritten = new AtomicInteger();
    private volatile boolean callerEnded;
    private volatile boolean serviceEnded;

    private TcpConnectionBridge(AcceptedConnection caller, TunnelStream stream) {
        this.caller = caller;
        this.stream = stream;
    }

    /** Opens a stream to {@code user}'s {@code service} for {@code caller}, then bridges the two; closes it on failure. */
    static void start(AcceptedConnection caller, TunnelServer server, String user, String service) {
        server.openStream(user, service).whenComplete((stream, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                LOG.info("TCP connection to {}/{} dropped: {}", user, service, cause.getMessage());
                caller.close();
                return;
            }
            TcpConnectionBridge bridge = new TcpConnectionBridge(caller, stream);
            stream.receive(bridge.new FromService());
            caller.receive(bridge.new FromCaller());
            caller.resumeReads();
        });
    }

    /** What the caller sends, on its I/O thread. */
    private final class FromCaller implements LocalConnection.Receiver {
        @Override
        public void onData(ByteBuffer data) {
            while (data.hasRemaining()) {
                if (stream instanceof ChannelTunnelStream channelStream) {
                    ChannelDataPacket packet = spare.poll();
                    if (packet == null) {
                        packet = channelStream.newPacket(TcpServiceListener.CHUNK);
                    }
                    packet.readFrom(data);
                    send(channelStream.write(packet), packet);
                } else {
                    byte[] copy = new byte[data.remaining()];
                    data.get(copy);
                    send(stream.write(ByteBuffer.wrap(copy)), null);
                }
            }
        }

        @Override
        public void onEnd() {
            callerEnded = true;
            stream.shutdownOutput().whenComplete((ignored, failure) -> closeIfDone());
        }

        @Override
        public void onClosed() {
            stream.close();
        }
    }

    /** Sends a piece of the caller's bytes; {@code packet}, if any, is filled again once sent. */
    private void send(CompletableFuture<Void> sent, @Nullable ChannelDataPacket packet) {
        if (inFlight.incrementAndGet() >= WRITES_IN_FLIGHT) {
            caller.pauseReads();
            if (inFlight.get() < WRITES_IN_FLIGHT) {
                caller.resumeReads(); // the writes finished while this paused
            }
        }
        sent.whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.debug("TCP bridge ended: {}", failure.toString());
                closeBoth();
                return;
            }
            if (packet != null) {
                spare.add(packet.reset());
            }
            if (inFlight.decrementAndGet() < WRITES_IN_FLIGHT) {
                caller.resumeReads();
            }
        });
    }

    /** What the service sends, on its session's I/O thread. */
    private final class FromService implements StreamReceiver {
        @Override
        public void onData(ByteBuffer data, Runnable done) {
            unwritten.incrementAndGet();
            Runnable taken = () -> {
                done.run();
                if (unwritten.decrementAndGet() == 0) {
                    closeIfDone();
                }
            };
            if (data.hasArray()) {
                caller.write(data.array(), data.arrayOffset() + data.position(), data.remaining(), taken);
            } else {
                byte[] copy = new byte[data.remaining()];
                data.get(copy);
                caller.write(copy, 0, copy.length, taken);
            }
        }

        @Override
        public void onEnd() {
            serviceEnded = true;
            caller.shutdownOutput();
            closeIfDone();
        }

        @Override
        public void onError(Throwable failure) {
            caller.close();
        }
    }

    private void closeIfDone() {
        if (callerEnded && serviceEnded && unwritten.get() == 0) {
            closeBoth();
        }
    }

    private void closeBoth() {
        stream.close();
        caller.close();
    }
}
