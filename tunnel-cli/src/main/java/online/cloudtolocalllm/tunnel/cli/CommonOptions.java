package online.cloudtolocalllm.tunnel.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every subcommand takes: {@code --config} and {@code --verbose}. */
final class CommonOptions {

    /** Read before parsing by {@link ConfigFile}; declared here so that it parses and shows in the help. */
    @Option(names = ConfigFile.OPTION, paramLabel = "FILE", order = 100, description = "Read option defaults from a properties file: one 'name=value' per line, the name being the "
            + "long option name without dashes (listen=127.0.0.1:8080, data-dir=/var/lib/tunnel). Repeatable options "
            + "take comma-separated values (expose=llm=127.0.0.1:11434,db=127.0.0.1:5432). Options on the command "
            + "line win; unknown names are an error. Keeps secrets out of the process list.")
    @Nullable Path config;

    private boolean verbose;

    @Option(names = {"-v", "--verbose"}, order = 101,
            description = "Log at info level and print the stack trace of a failure.")
    void verbose(boolean on) {
        verbose = on;
        if (on) {
            LogSettings.verbose();
        }
    }

    boolean verbose() {
        return verbose;
    }

    /** Whether the command run by {@code commandLine} was given {@code --verbose}. */
    static boolean verbose(CommandLine commandLine) {
        return commandLine.getMixins().values().stream()
                .anyMatch(mixin -> mixin instanceof CommonOptions common && common.verbose());
    }
}
