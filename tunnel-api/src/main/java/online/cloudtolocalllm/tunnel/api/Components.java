package online.cloudtolocalllm.tunnel.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Instances given to a builder for an extension point (a transport provider, an authenticator, a clock...). An
 * instance given here wins over discovery.
 */
public final class Components {
    static final Components NONE = new Components(Map.of());

    private final Map<Class<?>, Object> byType;

    private Components(Map<Class<?>, Object> byType) {
        this.byType = Map.copyOf(byType);
    }

    /** No instances: every extension point is discovered. */
    public static Components none() {
        return NONE;
    }

    /** The instance given for {@code type}, if any. */
    public <T> Optional<T> get(Class<T> type) {
        return Optional.ofNullable(byType.get(type)).map(type::cast);
    }

    <T> Components with(Class<T> type, T instance) {
        if (!type.isInstance(instance)) {
            throw new IllegalArgumentException(instance + " is not a " + type.getName());
        }
        Map<Class<?>, Object> copy = new LinkedHashMap<>(byType);
        copy.put(type, instance);
        return new Components(copy);
    }

    @Override
    public String toString() {
        return byType.keySet().stream().map(Class::getSimpleName).toList().toString();
    }
}
