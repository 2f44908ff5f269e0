package online.cloudtolocalllm.tunnel.cli;

import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Turns a builder's refusal of an option value into a usage error of the command. */
final class InvalidOptions {
    private InvalidOptions() {
    }

    /** The result of {@code build}; an {@link IllegalArgumentException} it throws becomes a usage error. */
    static <T> T check(CommandSpec spec, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
