package online.cloudtolocalllm.tunnel.agent;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.jspecify.annotations.Nullable;

/** The stable codes and messages of agent forwarding's failures. */
final class AgentFailures {
    private AgentFailures() {
    }

    static TunnelException notConfigured(String message) {
        return new TunnelException(ErrorCode.AGENT_NOT_CONFIGURED, message);
    }

    static TunnelException socketMissing(String message, @Nullable Throwable cause) {
        return new TunnelException(ErrorCode.AGENT_SOCKET_MISSING, message, cause);
    }

    static TunnelException refused(String message) {
        return new TunnelException(ErrorCode.AGENT_REFUSED, message);
    }

    /** The failure to report for {@code e}, raised while opening the agent at {@code location}. */
    static TunnelException classify(String location, IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (e instanceof AccessDeniedException || message.contains("permission denied") || message.contains("access is denied")) {
            return new TunnelException(ErrorCode.AGENT_PERMISSION_DENIED,
                    "Permission denied on the SSH agent at " + location + " (it belongs to another user?)", e);
        }
        if (message.contains("connection refused")) {
            return socketMissing("No SSH agent listens on " + location + " (a stale socket of an agent that stopped?)", e);
        }
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException || message.contains("no such file")) {
            return socketMissing("The SSH agent at " + location + " does not exist (is the agent running?)", e);
        }
        return socketMissing("Cannot connect to the SSH agent at " + location + ": " + e.getMessage(), e);
    }
}
