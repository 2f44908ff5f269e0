package online.cloudtolocalllm.tunnel.examples;

import java.net.URI;
import java.time.Duration;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.failover.Endpoint;
import online.cloudtolocalllm.tunnel.failover.FailoverConfig;
import online.cloudtolocalllm.tunnel.failover.FailoverTunnelClient;

/**
 * Exposes a local service as {@code llm} through the first of several tunnel servers that is healthy, moving to
 * another when it is lost or drains and back once the preferred one has been healthy for a minute.
 *
 * <p>Usage: {@code FailoverClientExample <token> <host-key-fingerprint> <local-port> <server-uri>[#weight=N] ...}
 */
public final class FailoverClientExample {
    private FailoverClientExample() {
    }

    public static void main(String[] args) throws Exception {
        FailoverConfig.Builder failover = FailoverConfig.builder(TunnelClientConfig.builder()
                        .server(args[3])
                        .token(args[0])
                        .hostKeys(HostKeyPolicy.pinned(args[1]))
                        .expose("llm", "127.0.0.1", Integer.parseInt(args[2]))
                        .listener(event -> System.out.println("event: " + event))
                        .build())
                .detectTimeout(Duration.ofSeconds(5))
                .failbackDelay(Duration.ofMinutes(1))
                .queueSize(256)
                .queueDeadline(Duration.ofSeconds(30));
        for (int i = 3; i < args.length; i++) {
            failover.endpoint(Endpoint.parse(args[i], i - 3));
        }
        FailoverTunnelClient client = FailoverTunnelClient.create(failover.build());
        client.start().join();
        Runtime.getRuntime().addShutdownHook(new Thread(client::close));

        System.out.println("live: " + client.status());
        Thread.currentThread().join();
    }
}
