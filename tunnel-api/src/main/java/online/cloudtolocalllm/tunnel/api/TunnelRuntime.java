package online.cloudtolocalllm.tunnel.api;

import java.util.ServiceLoader;

/**
 * The engine behind {@link TunnelClient#create} and {@link TunnelServer#create}, found with {@link ServiceLoader}.
 * Applications do not call it; {@code tunnel-core} provides it.
 */
public interface TunnelRuntime {

    /** Higher wins when several runtimes are present. */
    default int priority() {
        return 0;
    }

    TunnelClient newClient(TunnelClientConfig config);

    TunnelServer newServer(TunnelServerConfig config);

    /** The highest-priority runtime on the module or class path, searched for once per JVM. */
    static TunnelRuntime load() {
        return FoundRuntime.get();
    }
}
