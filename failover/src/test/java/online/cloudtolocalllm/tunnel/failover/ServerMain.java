package online.cloudtolocalllm.tunnel.failover;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.testing.TestTokens;

/**
 * A tunnel server process for the failover tests: {@code ServerMain PORT DATA_DIR} listens on loopback (port 0: any
 * free port), lets clients open forward streams to loopback, prints {@code ready port=N}, and shuts down gracefully
 * on SIGTERM.
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        TunnelServer server = TunnelServer.create(TunnelServerConfig.builder()
                .listen("127.0.0.1", Integer.parseInt(args[0]))
                .dataDir(Path.of(args[1]))
                .jwtSecret(TestTokens.SECRET)
                .keepAlive(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .shutdownTimeout(Duration.ofSeconds(5))
                .forwardAllow("127.0.0.1:*")
                .build());
        server.start().get(30, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("ready port=" + server.address().orElseThrow().getPort() + " fingerprint=" + server.hostKeyFingerprint());
        System.out.flush();
        while (!server.awaitTermination(Duration.ofMinutes(1))) {
            // runs until SIGTERM or SIGKILL
        }
    }
}
