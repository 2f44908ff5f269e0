package online.cloudtolocalllm.tunnel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.core.Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tunnel demo}: a server, an imitation LLM API and a client exposing it, all in this process. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Runs a server, an LLM-like service and a client exposing it, in one process.",
        description = {
                "Starts a tunnel server on 127.0.0.1, a small local service that answers like an LLM API (POST "
                        + "/api/generate streams NDJSON tokens for about 3 seconds, as Ollama does), and a client that "
                        + "exposes it as service 'llm' of user 'demo'. Then prints a curl command that shows the "
                        + "tokens streaming through the tunnel. Runs until Ctrl-C.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  tunnel demo",
                "  tunnel demo --port 8080"})
final class DemoCommand implements Callable<Integer> {
    private static final String USER = "demo";
    private static final String SERVICE = "llm";
    private static final Duration TOKEN_INTERVAL = Duration.ofMillis(150);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "Port of the tunnel server on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    private final Deque<AutoCloseable> running = new ArrayDeque<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EventPrinter events = new EventPrinter(spec.commandLine().getErr(), common.verbose());
        StopSignal stop = StopSignal.arm("tunnel-demo-stop", this::stopAll);
        try {
            Path dataDir = Files.createTempDirectory("tunnel-demo-");
            started(() -> deleteTree(dataDir));
            String secret = randomSecret();
            TunnelServer server = TunnelServer.create(InvalidOptions.check(spec, () -> TunnelServerConfig.builder()
                    .listen("127.0.0.1", port).dataDir(dataDir).jwtSecret(secret).listener(events).build()));
            started(server);
            server.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            String address = HostPort.format(server.address().orElseThrow());

            DemoLlmService llm = DemoLlmService.start(TOKEN_INTERVAL);
            started(llm);

            String token = Tokens.mint(secret, USER, Instant.now(), Duration.ofDays(1));
            TunnelClient client = TunnelClient.create(TunnelClientConfig.builder()
                    .server("ws://" + address).token(token)
                    .hostKeys(HostKeyPolicy.pinned(server.hostKeyFingerprint()))
                    .expose(SERVICE, "127.0.0.1", llm.port())
                    .listener(events)
                    .build());
            started(client);
            client.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            out.println("demo: tunnel server ws://" + address + "/tunnel (host key " + server.hostKeyFingerprint() + ")");
            out.println("demo: an LLM-like API on 127.0.0.1:" + llm.port() + " is exposed as service '" + SERVICE
                    + "' of user '" + USER + "'");
            out.println("demo: watch the tokens stream through the tunnel:");
            out.println("curl -N -H \"Authorization: Bearer " + token + "\" http://" + address + "/t/" + USER + "/" + SERVICE
                    + "/api/generate -d '{\"model\":\"" + DemoLlmService.MODEL + "\",\"prompt\":\"Why is the sky blue?\"}'");
            out.println("demo: press Ctrl-C to stop");
            out.flush();
            boolean terminated;
            do {
                terminated = server.awaitTermination(Duration.ofMinutes(1));
            } while (!terminated);
            return 0;
        } finally {
            stop.disarm();
            stopAll();
        }
    }

    private synchronized void started(AutoCloseable resource) {
        running.push(resource);
    }

    /** Stops what was started, newest first. */
    private synchronized void stopAll() {
        for (AutoCloseable resource; (resource = running.poll()) != null; ) {
            try {
                resource.close();
            } catch (Exception e) {
                spec.commandLine().getErr().println("demo: stopping " + resource + " failed: " + Failures.describe(e));
            }
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
