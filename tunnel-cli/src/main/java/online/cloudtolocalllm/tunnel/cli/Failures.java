package online.cloudtolocalllm.tunnel.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/** Turns a failure into the one line the command prints. */
final class Failures {
    private Failures() {
    }

    /** The failure behind the wrappers that futures add. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** A one-line description: a tunnel error's code and message, otherwise the message and, when vague, the type. */
    static String describe(Throwable failure) {
        Throwable root = unwrap(failure);
        String message = root.getMessage();
        if (root instanceof TunnelException || root instanceof IllegalArgumentException) {
            return String.valueOf(message);
        }
        return message == null || message.isBlank() ? root.getClass().getName() : root.getClass().getSimpleName() + ": " + message;
    }
}
