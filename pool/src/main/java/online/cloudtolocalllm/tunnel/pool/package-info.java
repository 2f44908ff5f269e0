/**
 * A generic pool ({@link online.cloudtolocalllm.tunnel.pool.Pool}) for anything expensive to open and cheap to
 * keep: tunnel sessions, connections through a tunnel to a local service. Time comes from an injectable clock, so
 * an hour-long retirement is tested without waiting an hour.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.pool;

import org.jspecify.annotations.NullMarked;
