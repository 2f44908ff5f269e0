package online.cloudtolocalllm.tunnel.cli;

/** Runs an action when the JVM is told to stop (Ctrl-C, SIGTERM) for as long as it is armed. */
final class StopSignal {
    private final Thread hook;

    private StopSignal(Thread hook) {
        this.hook = hook;
    }

    /** Runs {@code action} on Ctrl-C or SIGTERM, before the JVM exits. */
    static StopSignal arm(String name, Runnable action) {
        Thread hook = Thread.ofPlatform().name(name).unstarted(action);
        Runtime.getRuntime().addShutdownHook(hook);
        return new StopSignal(hook);
    }

    /** Stops watching, unless the JVM is already stopping: then the action runs anyway. */
    void disarm() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyStopping) {
            // the hook is running or has run; nothing is left to undo
        }
    }
}
