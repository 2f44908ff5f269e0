package online.cloudtolocalllm.tunnel.spi;

/**
 * A factory for one extension point's service.
 *
 * @param <C> the configuration it creates from
 * @param <S> the service it creates
 */
public interface TunnelProvider<C, S> {

    /** A short stable id users can configure, such as {@code okhttp}. */
    String id();

    /** Higher wins when several providers are available and none is configured. */
    default int priority() {
        return 0;
    }

    /** Whether this provider can work here (its libraries are present, its platform matches). */
    default boolean isAvailable() {
        return true;
    }

    S create(C config);
}
