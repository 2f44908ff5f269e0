package online.cloudtolocalllm.tunnel.api;

/**
 * A snapshot of a tunnel's counters.
 *
 * @param bytesIn payload bytes received from the peer over streams
 * @param bytesOut payload bytes sent to the peer over streams
 * @param openStreams streams open now
 * @param totalStreams streams opened since start
 * @param errors streams or connections that failed
 */
public record TunnelMetrics(long bytesIn, long bytesOut, int openStreams, long totalStreams, long errors) {

    public static final TunnelMetrics EMPTY = new TunnelMetrics(0, 0, 0, 0, 0);

    /** The sum of two snapshots. */
    public TunnelMetrics plus(TunnelMetrics other) {
        return new TunnelMetrics(bytesIn + other.bytesIn, bytesOut + other.bytesOut, openStreams + other.openStreams,
                totalStreams + other.totalStreams, errors + other.errors);
    }
}
