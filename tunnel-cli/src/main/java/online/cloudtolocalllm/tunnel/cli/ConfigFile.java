package online.cloudtolocalllm.tunnel.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.PropertiesDefaultProvider;

/**
 * The properties file named by {@code --config}: its keys are long option names without dashes, its values the
 * options' defaults. It is read before parsing, since picocli takes defaults while it parses.
 */
final class ConfigFile {
    static final String OPTION = "--config";

    private final Path path;
    private final Properties properties;

    private ConfigFile(Path path, Properties properties) {
        this.path = path;
        this.properties = properties;
    }

    /** The config file that {@code args} name with {@code --config FILE} or {@code --config=FILE}, read. */
    static Optional<ConfigFile> named(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(OPTION) && i + 1 < args.length) {
                return Optional.of(read(args[i + 1]));
            }
            if (args[i].startsWith(OPTION + "=")) {
                return Optional.of(read(args[i].substring(OPTION.length() + 1)));
            }
        }
        return Optional.empty();
    }

    private static ConfigFile read(String name) {
        try {
            Path path = Path.of(name);
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            return new ConfigFile(path, properties);
        } catch (IOException | IllegalArgumentException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot read config file " + name + ": " + e, e);
        }
    }

    /** Supplies each option's default from the file. */
    IDefaultValueProvider defaults() {
        return new PropertiesDefaultProvider(properties);
    }

    /** Refuses keys that the command being run has no option for, so a typo is not silently ignored. */
    void checkKeys(ParseResult parsed) {
        ParseResult command = parsed;
        while (command.hasSubcommand()) {
            command = command.subcommand();
        }
        CommandSpec spec = command.commandSpec();
        Set<String> known = new TreeSet<>();
        for (OptionSpec option : spec.options()) {
            if (!option.usageHelp() && !option.versionHelp() && !option.longestName().equals(OPTION)) {
                known.add(option.longestName().replaceFirst("^-+", ""));
            }
        }
        List<String> unknown = properties.stringPropertyNames().stream().filter(key -> !known.contains(key)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " in " + path + "; '" + spec.qualifiedName() + "' knows "
                    + String.join(", ", known));
        }
    }
}
