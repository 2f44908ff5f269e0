package online.cloudtolocalllm.tunnel.spi;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import online.cloudtolocalllm.tunnel.api.Components;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.jspecify.annotations.Nullable;

/**
 * Chooses a provider predictably: an instance given to the builder wins; else the configured id (missing is an
 * error, never a silent fallback); else the highest-priority available provider; none is an error that names the
 * artifact to add.
 */
public final class Providers {
    private Providers() {
    }

    /**
     * Selects a provider of {@code type}.
     *
     * @param components instances given to the builder
     * @param configuredId the id the user asked for, or null
     * @param fits which providers can serve this request (a transport for this URI scheme, say)
     * @param artifactHint the artifact to name when none is found
     */
    public static <P extends TunnelProvider<?, ?>> P select(Class<P> type, Components components,
            @Nullable String configuredId, Predicate<? super P> fits, String artifactHint) {
        Optional<P> given = components.get(type);
        if (given.isPresent()) {
            return given.get();
        }
        List<P> found = discover(type);
        if (configuredId != null) {
            P byId = found.stream().filter(p -> p.id().equals(configuredId)).findFirst()
                    .orElseThrow(() -> new TunnelException(ErrorCode.CONFIGURATION_ERROR, type.getSimpleName() + " '"
                            + configuredId + "' is not on the path; found " + ids(found)));
            if (!byId.isAvailable()) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR,
                        type.getSimpleName() + " '" + configuredId + "' is present but not available here");
            }
            return byId;
        }
        return found.stream().filter(TunnelProvider::isAvailable).filter(fits)
                .max(Comparator.comparingInt(TunnelProvider::priority))
                .orElseThrow(() -> new TunnelException(ErrorCode.CONFIGURATION_ERROR, "No " + type.getSimpleName()
                        + " fits (found " + ids(found) + "): add the artifact " + artifactHint));
    }

    /**
     * Every provider of {@code type} on the module or class path. The path is searched once per type and the
     * providers, stateless factories, are shared: a scan of every jar per client made each new tunnel pay for it.
     */
    @SuppressWarnings("unchecked")
    public static <P> List<P> discover(Class<P> type) {
        return (List<P>) DISCOVERED.get(type);
    }

    private static final ClassValue<List<?>> DISCOVERED = new ClassValue<>() {
        @Override
        protected List<?> computeValue(Class<?> type) {
            Providers.class.getModule().addUses(type);
            return ServiceLoader.load(type, Providers.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList();
        }
    };

    private static String ids(List<? extends TunnelProvider<?, ?>> providers) {
        return providers.stream().map(TunnelProvider::id).collect(Collectors.joining(", ", "[", "]"));
    }
}
