package online.cloudtolocalllm.tunnel.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.spi.ClientTransport;
import online.cloudtolocalllm.tunnel.spi.FrameConnection;
import online.cloudtolocalllm.tunnel.spi.Providers;
import online.cloudtolocalllm.tunnel.spi.TransportConfig;
import online.cloudtolocalllm.tunnel.spi.TransportProvider;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tunnel connect --stdio}: joins standard input and output to the server's SSH endpoint for OpenSSH. */
@Command(name = "connect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Bridges standard input and output to the server, for OpenSSH's ProxyCommand.",
        description = {
                "Connects to the server's tunnel endpoint and joins it to standard input and output, so that OpenSSH "
                        + "can use it as its ProxyCommand: ssh then talks SSH to the tunnel server itself, with its "
                        + "own keys, and exposes services with -R NAME:80:HOST:PORT.",
                "Standard output carries the SSH stream and nothing else; messages go to standard error. Exits when "
                        + "either side closes.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ssh -N -R llm:80:localhost:11434 -o HostKeyAlias=tunnel \\",
                "      -o ProxyCommand=\"tunnel connect --stdio --server $SERVER --token $JWT\" \\",
                "      -i ~/.ssh/id_ed25519 alice@tunnel",
                "  tunnel connect --stdio ws://127.0.0.1:8080 --token \"$JWT\""})
final class ConnectCommand implements Callable<Integer> {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--stdio", required = true, description = "Bridge standard input and output (the one mode there is).")
    boolean stdio;

    @Option(names = "--server", paramLabel = "URI",
            description = "The server's tunnel endpoint, like ws://host:8080 (the path defaults to /tunnel).")
    @Nullable URI serverOption;

    @Parameters(arity = "0..1", paramLabel = "SERVER", description = "The server, as an alternative to --server.")
    @Nullable URI serverParameter;

    @Option(names = "--token", paramLabel = "JWT", required = true, description = "Bearer token sent with the WebSocket upgrade.")
    String token;

    @Mixin
    TlsClientOptions tls;

    @Override
    public Integer call() throws Exception {
        TunnelClientConfig target = InvalidOptions.check(spec, this::target);
        URI server = target.server();
        TransportProvider provider = Providers.select(TransportProvider.class, target.components(), null,
                p -> p.supports(server), "online.cloudtolocalllm.tunnel:transport-websocket (for " + server.getScheme() + "://)");
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        try (ClientTransport transport = provider.create(new TransportConfig(CONNECT_TIMEOUT,
                target.keepAliveInterval(), target.keepAliveTimeout(), 1 << 20, target.tlsTrust()))) {
            FrameConnection connection = transport.connect(server, Map.of("Authorization", "Bearer " + token))
                    .orTimeout(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)
                    .get();
            return new StdioBridge(new FileInputStream(FileDescriptor.in), stdout, spec.commandLine().getErr()).run(connection);
        }
    }

    /**
     * The server URI with its default path, TLS trust, and the component overrides, the way a tunnel client would dial them.
     * OpenSSH checks the host key itself; the policy given here is never consulted.
     */
    private TunnelClientConfig target() {
        if ((serverOption == null) == (serverParameter == null)) {
            throw new ParameterException(spec.commandLine(), "Give the server once: --server URI or SERVER");
        }
        return tls.apply(TunnelClientConfig.builder()
                .server(serverOption != null ? serverOption : serverParameter)
                .token(token)
                .hostKeys(HostKeyPolicy.knownHosts(KnownHosts.defaultFile())))
                .build();
    }
}
