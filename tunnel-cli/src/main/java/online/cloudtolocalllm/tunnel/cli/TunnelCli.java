package online.cloudtolocalllm.tunnel.cli;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code tunnel} command: the entry point and the list of subcommands. */
@Command(name = "tunnel",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        header = "SSH-over-WebSocket tunnels to private services.",
        description = {
                "A client beside a private service (a local LLM API, say) dials out to a tunnel server, which then "
                        + "reaches the service through HTTP ingress at /t/{user}/{service}/.",
                ""},
        subcommands = {
                ServerCommand.class,
                ClientCommand.class,
                ConnectCommand.class,
                TokenCommand.class,
                KeygenCommand.class,
                DemoCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  tunnel demo",
                "  tunnel token --secret \"$SECRET\" --user alice --ttl 1h",
                "  tunnel server --listen 127.0.0.1:8080 --data-dir ./data --jwt-secret \"$SECRET\"",
                "  tunnel client --server ws://127.0.0.1:8080 --token \"$JWT\" \\",
                "      --expose llm=127.0.0.1:11434 --fingerprint SHA256:...",
                "",
                "Run 'tunnel COMMAND --help' for a command's options. Every command also reads its options from a "
                        + "properties file given with --config FILE."})
public final class TunnelCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        LogSettings.applyDefaults();
        leakDetectionOffUnlessAsked();
        System.exit(run(args));
    }

    /**
     * Netty's buffer-leak detection records a stack trace for one buffer in 128, about 2 % of a busy tunnel's CPU: a
     * debugging aid, off in the command unless {@code -Dio.netty.leakDetection.level} asks for it.
     */
    static void leakDetectionOffUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
    }

    /** Runs the command line and returns its exit code, without exiting. */
    static int run(String... args) {
        CommandLine commandLine;
        try {
            commandLine = commandLine(args);
        } catch (TunnelException e) {
            System.err.println("tunnel: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        return commandLine.execute(args);
    }

    /**
     * The command line for {@code args}: converters, error handlers, and defaults from the {@code --config} file they
     * name, if any. Fails if that file cannot be read.
     */
    static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new TunnelCli());
        commandLine.registerConverter(Duration.class, new DurationConverter());
        commandLine.registerConverter(InetSocketAddress.class, new ParsingConverter<>(HostPort::parse));
        commandLine.registerConverter(ExposedService.class, new ParsingConverter<>(ExposedService::parse));
        commandLine.registerConverter(URI.class, new ParsingConverter<>(AbsoluteUris::parse));
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setExecutionExceptionHandler(new FailureHandler());
        commandLine.getSubcommands().values()
                .forEach(subcommand -> subcommand.getCommandSpec().versionProvider(new VersionProvider()));
        Optional<ConfigFile> config = ConfigFile.named(args);
        config.ifPresent(file -> commandLine.setDefaultValueProvider(file.defaults()));
        commandLine.setExecutionStrategy(parsed -> {
            config.ifPresent(file -> file.checkKeys(parsed));
            return new CommandLine.RunLast().execute(parsed);
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of " + String.join(", ", spec.subcommands().keySet()));
    }
}
