package online.cloudtolocalllm.tunnel.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Finds the local agent to forward, in this order: the location given explicitly (a socket path or a pipe name);
 * {@code SSH_AUTH_SOCK}; gpg-agent's SSH socket, if it exists; on Windows, the OpenSSH agent's pipe
 * {@code \\.\pipe\openssh-ssh-agent}, then Pageant's pipe ({@code \\.\pipe\pageant.<user>.<hash>}), then, with JNA
 * on the path, Pageant's window (Pageant before 0.75).
 */
final class AgentDiscovery {
    static final String WINDOWS_OPENSSH_PIPE = "\\\\.\\pipe\\openssh-ssh-agent";
    static final String PIPE_PREFIX = "\\\\.\\pipe\\";

    /**
     * What discovery looks at; tests give their own.
     *
     * @param variables the environment variables
     * @param windows whether this is Windows
     * @param userName the OS user, for Pageant's pipe name
     * @param userHome the user's home, for gpg-agent's default home
     * @param runtimeDir {@code /run/user/<uid>}, where gpg-agent puts sockets on Linux
     * @param gpgconf asks gpgconf where gpg-agent's SSH socket is
     * @param pipes lists the named pipes (Windows)
     * @param exists whether a socket or pipe exists
     */
    record Environment(Map<String, String> variables, boolean windows, String userName, Path userHome,
            @Nullable Path runtimeDir, GpgAgentSocket.GpgConf gpgconf, Supplier<List<String>> pipes,
            Predicate<String> exists) {

        static Environment system() {
            boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
            return new Environment(System.getenv(), windows, System.getProperty("user.name", ""),
                    Path.of(System.getProperty("user.home", ".")), windows ? null : GpgAgentSocket.runtimeDir(),
                    GpgAgentSocket.GpgConf.system(), AgentDiscovery::systemPipes, location -> Files.exists(Path.of(location)));
        }
    }

    private AgentDiscovery() {
    }

    /** The connector for {@code explicit} if given, else the first agent found; AGENT_NOT_CONFIGURED if none. */
    static AgentConnector find(@Nullable String explicit, Environment environment) {
        if (explicit != null) {
            return connector(explicit);
        }
        String fromEnvironment = environment.variables().get("SSH_AUTH_SOCK");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return connector(fromEnvironment);
        }
        List<String> looked = new ArrayList<>(List.of("SSH_AUTH_SOCK (not set)"));
        if (!environment.windows()) {
            Path gpg = GpgAgentSocket.find(environment.variables(), environment.gpgconf(), environment.userHome(),
                    environment.runtimeDir());
            if (environment.exists().test(gpg.toString())) {
                return AgentConnector.unixSocket(gpg);
            }
            looked.add("gpg-agent at " + gpg);
        } else {
            if (environment.exists().test(WINDOWS_OPENSSH_PIPE)) {
                return AgentConnector.namedPipe(WINDOWS_OPENSSH_PIPE);
            }
            looked.add(WINDOWS_OPENSSH_PIPE);
            Optional<String> pageant = pageantPipe(environment);
            if (pageant.isPresent()) {
                return AgentConnector.namedPipe(pageant.get());
            }
            looked.add("Pageant's pipe " + PIPE_PREFIX + "pageant." + environment.userName() + ".*");
            if (PageantWindowConnector.available()) {
                return new PageantWindowConnector();
            }
            looked.add("Pageant's window (with JNA on the path)");
        }
        throw AgentFailures.notConfigured("No SSH agent to forward: looked at " + String.join(", ", looked)
                + "; start ssh-agent (or gpg-agent with enable-ssh-support) or name the agent with --agent");
    }

    private static AgentConnector connector(String location) {
        if (isPipe(location)) {
            return AgentConnector.namedPipe(location);
        }
        return AgentConnector.unixSocket(Path.of(location));
    }

    /** Whether {@code location} names a Windows named pipe. */
    static boolean isPipe(String location) {
        String normal = location.replace('/', '\\');
        return normal.regionMatches(true, 0, PIPE_PREFIX, 0, PIPE_PREFIX.length());
    }

    /** Pageant's pipe: {@code pageant.<user>.<hash>}, found by listing the pipes (the hash needs Windows' DPAPI). */
    static Optional<String> pageantPipe(Environment environment) {
        String prefix = "pageant." + environment.userName() + ".";
        return environment.pipes().get().stream().filter(name -> name.startsWith(prefix)).sorted().findFirst()
                .map(name -> PIPE_PREFIX + name);
    }

    private static List<String> systemPipes() {
        String[] names = new File(PIPE_PREFIX).list();
        return names == null ? List.of() : Arrays.asList(names);
    }
}
