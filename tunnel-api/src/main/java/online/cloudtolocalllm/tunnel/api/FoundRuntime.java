package online.cloudtolocalllm.tunnel.api;

import java.util.Comparator;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TunnelRuntime} once found: searching every jar of the path on each {@code create} made every new tunnel
 * pay for it. A search that finds nothing is not kept, so the error is the same each time.
 */
final class FoundRuntime {
    private static volatile @Nullable TunnelRuntime found;

    private FoundRuntime() {
    }

    static TunnelRuntime get() {
        TunnelRuntime runtime = found;
        if (runtime == null) {
            runtime = search();
            found = runtime;
        }
        return runtime;
    }

    private static TunnelRuntime search() {
        return ServiceLoader.load(TunnelRuntime.class, TunnelRuntime.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .max(Comparator.comparingInt(TunnelRuntime::priority))
                .orElseThrow(() -> new TunnelException(ErrorCode.CONFIGURATION_ERROR,
                        "No tunnel runtime found: add the artifact online.cloudtolocalllm.tunnel:tunnel-core"));
    }
}
