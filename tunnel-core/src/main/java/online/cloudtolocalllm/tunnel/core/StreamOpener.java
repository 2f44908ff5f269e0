package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.api.TunnelStream;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;

/** Opens a {@link StreamChannel} on a session and turns the outcome into a stream or a coded failure. */
final class StreamOpener {
    /** How long opening a stream may take before the caller gets TUNNEL_007 (Phase 1's request timeout). */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

    private StreamOpener() {
    }

    /**
     * Opens {@code channel} on {@code session}.
     *
     * @param target what the stream goes to, for messages
     */
    static CompletableFuture<TunnelStream> open(Session session, StreamChannel channel, String target) {
        CompletableFuture<TunnelStream> result = new CompletableFuture<>();
        try {
            session.getService(ConnectionService.class).registerChannel(channel);
            channel.open().addListener(f -> {
                Throwable failure = f.getException();
                if (failure == null) {
                    result.complete(channel.stream());
                } else {
                    result.completeExceptionally(failure(target, failure));
                }
            });
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(new TunnelException(ErrorCode.SSH_ERROR,
                    "Cannot open a stream to " + target + ": " + e.getMessage(), e));
        }
        return result.orTimeout(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(failure -> {
            channel.close(true);
            TrafficCounters counters = StreamCounting.counters(session);
            if (counters != null) {
                counters.error();
            }
            if (failure instanceof TimeoutException) {
                return CompletableFuture.failedFuture(new TunnelException(ErrorCode.REQUEST_TIMEOUT,
                        target + " did not answer within " + OPEN_TIMEOUT.toSeconds() + " s", failure));
            }
            return CompletableFuture.failedFuture(failure);
        });
    }

    private static TunnelException failure(String target, Throwable failure) {
        if (failure instanceof SshChannelOpenException open) {
            return switch (open.getReasonCode()) {
                case SshConstants.SSH_OPEN_CONNECT_FAILED -> new TunnelException(ErrorCode.CONNECTION_REFUSED,
                        target + " refused the connection: " + open.getMessage(), failure);
                case SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED -> new TunnelException(ErrorCode.FORBIDDEN,
                        "A stream to " + target + " is not allowed: " + open.getMessage(), failure);
                default -> new TunnelException(ErrorCode.CONNECTION_REFUSED,
                        "A stream to " + target + " was refused: " + open.getMessage(), failure);
            };
        }
        return new TunnelException(ErrorCode.SSH_ERROR, "A stream to " + target + " failed: " + failure.getMessage(), failure);
    }
}
