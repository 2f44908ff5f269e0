package online.cloudtolocalllm.tunnel.examples;

import java.nio.file.Path;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;

/**
 * Runs a tunnel server in your own program: clients connect to {@code ws://host:port/tunnel}, and their services
 * are reachable at {@code http://host:port/t/{user}/{service}/...}.
 *
 * <p>Usage: {@code ServerExample <port> <data-dir> <jwt-secret>}
 */
public final class ServerExample {
    private ServerExample() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]);
        String secret = args[2];

        TunnelServer server = TunnelServer.create(TunnelServerConfig.builder()
                .listen("127.0.0.1", port)
                .dataDir(dataDir)
                .jwtSecret(secret)
                .listener(event -> System.out.println("event: " + event))
                .build());
        server.start().join();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));

        System.out.println("host key: " + server.hostKeyFingerprint());
        System.out.println("ready: " + server.address().orElseThrow());
        Thread.currentThread().join();
    }
}
