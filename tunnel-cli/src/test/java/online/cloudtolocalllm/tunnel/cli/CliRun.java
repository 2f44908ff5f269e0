package online.cloudtolocalllm.tunnel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the command line in this JVM with its output captured. */
final class CliRun {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final CommandLine commandLine;

    private CliRun(String... args) {
        commandLine = TunnelCli.commandLine(args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
    }

    /** A command line for {@code args}, not yet run. */
    static CliRun prepare(String... args) {
        return new CliRun(args);
    }

    /** Runs {@code args} to the end. */
    static Result run(String... args) {
        return prepare(args).execute(args);
    }

    Result execute(String... args) {
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** What a run left: its exit code and output. */
    record Result(int exitCode, String out, String err) {
    }
}
