package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;

/**
 * A separate JVM holding many idle tunnels for the memory scenario. Arguments: server URI, token, host key
 * fingerprint, backend port, then counts; it opens tunnels up to each count, prints {@code at N}, and waits for a
 * line on standard input before the next count. It exits at end of input.
 */
public final class ClientFleet {
    private static final int BATCH = 25;

    private ClientFleet() {
    }

    public static void main(String[] args) throws Exception {
        String server = args[0];
        String token = args[1];
        String fingerprint = args[2];
        int port = Integer.parseInt(args[3]);
        List<TunnelClient> clients = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (int a = 4; a < args.length; a++) {
            int target = Integer.parseInt(args[a]);
            while (clients.size() < target) {
                List<CompletableFuture<TunnelClient>> started = new ArrayList<>();
                for (int i = 0; i < BATCH && clients.size() < target; i++) {
                    TunnelClient client = TunnelClient.create(TunnelClientConfig.builder().server(server).token(token)
                            .hostKeys(new HostKeyPolicy.Pinned(List.of(fingerprint)))
                            .expose("idle" + clients.size(), "127.0.0.1", port).build());
                    clients.add(client);
                    started.add(client.start());
                }
                CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
            }
            System.out.println("at " + clients.size());
            System.out.flush();
            if (in.readLine() == null) {
                break;
            }
        }
        while (in.readLine() != null) {
            // hold the tunnels until the harness closes our input
        }
        clients.forEach(TunnelClient::shutdownNow);
    }
}
