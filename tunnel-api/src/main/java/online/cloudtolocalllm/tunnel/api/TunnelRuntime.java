package online.cloudtolocalllm.tunnel.api;

import java.util.Comparator;
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

    /** The highest-priority runtime on the module or class path. */
    static TunnelRuntime load() {
        return ServiceLoader.load(TunnelRuntime.class, TunnelRuntime.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .max(Comparator.comparingInt(TunnelRuntime::priority))
                .orElseThrow(() -> new TunnelException(ErrorCode.CONFIGURATION_ERROR,
                        "No tunnel runtime found: add the artifact online.cloudtolocalllm.tunnel:tunnel-core"));
    }
}
