package online.cloudtolocalllm.tunnel.examples;

import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;

/**
 * Exposes a local service (an Ollama on port 11434, say) through a tunnel server as service {@code llm}. The client
 * keeps the tunnel up, reconnecting with back-off, until the program ends.
 *
 * <p>Usage: {@code ClientExample <server-uri> <token> <host-key-fingerprint> <local-port>}
 */
public final class ClientExample {
    private ClientExample() {
    }

    public static void main(String[] args) throws Exception {
        TunnelClient client = TunnelClient.create(TunnelClientConfig.builder()
                .server(args[0])
                .token(args[1])
                .hostKeys(HostKeyPolicy.pinned(args[2]))
                .expose("llm", "127.0.0.1", Integer.parseInt(args[3]))
                .listener(event -> System.out.println("event: " + event))
                .build());
        client.start().join();
        Runtime.getRuntime().addShutdownHook(new Thread(client::close));

        System.out.println("registered: " + client.config().services());
        Thread.currentThread().join();
    }
}
