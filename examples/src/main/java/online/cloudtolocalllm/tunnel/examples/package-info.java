/** Starter programs: an embedded server, a client exposing a local service, server code calling that service. */
@NullMarked
package online.cloudtolocalllm.tunnel.examples;

import org.jspecify.annotations.NullMarked;
