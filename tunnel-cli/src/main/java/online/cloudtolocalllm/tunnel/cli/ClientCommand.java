package online.cloudtolocalllm.tunnel.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import online.cloudtolocalllm.tunnel.agent.AgentAudit;
import online.cloudtolocalllm.tunnel.agent.AgentForwardingClient;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClient;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelEvent;
import online.cloudtolocalllm.tunnel.api.TunnelState;
import online.cloudtolocalllm.tunnel.crypto.audit.CryptoAuditListener;
import online.cloudtolocalllm.tunnel.failover.Endpoint;
import online.cloudtolocalllm.tunnel.failover.FailoverConfig;
import online.cloudtolocalllm.tunnel.failover.FailoverTunnelClient;
import online.cloudtolocalllm.tunnel.spi.LocalAgentProvider;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tunnel client}: exposes local services through a tunnel server until Ctrl-C or a failure. */
@Command(name = "client",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Exposes local services through a tunnel server.",
        description = {
                "Connects to a tunnel server and registers the local services given with --expose, reconnecting "
                        + "with back-off whenever the connection drops. Prints a line starting with 'registered:' each "
                        + "time they are registered, and every state change on standard error. Runs until Ctrl-C; "
                        + "exits with status 1 if the client fails for good (refused token, host key mismatch).",
                "The server's host key must match --fingerprint, or be in a known_hosts file (--known-hosts, by "
                        + "default ~/.config/cloudtolocalllm-tunnel/known_hosts); an unknown key is refused unless "
                        + "--trust-on-first-use.",
                "With several --server options the client keeps one live session, checks the other servers' /healthz, "
                        + "moves to the best healthy one when the live one is lost (within --failover-detect) or drains, "
                        + "and goes back to a better one once it has been healthy for --failback-delay; forward streams "
                        + "asked for meanwhile wait (--queue-size, --queue-deadline). Each change of its state is "
                        + "printed on standard output as a line starting with 'failover:'.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  tunnel client --server ws://127.0.0.1:8080 --token \"$JWT\" \\",
                "      --expose llm=127.0.0.1:11434 --fingerprint SHA256:Xq5...",
                "  tunnel client --server wss://tunnel.example.com --token \"$JWT\" \\",
                "      --expose llm=127.0.0.1:11434 --expose db=127.0.0.1:5432 --trust-on-first-use",
                "  tunnel client --server wss://tunnel.example.com --token \"$JWT\" --expose llm=127.0.0.1:11434 \\",
                "      --tls-ca ca.pem --tls-pin sha256/x4Q... --fingerprint SHA256:Xq5...",
                "  tunnel client --server ws://127.0.0.1:8080 --user alice --identity id_ed25519 \\",
                "      --expose web=127.0.0.1:3000 --known-hosts known_hosts",
                "  tunnel client --server wss://tunnel.example.com --token \"$JWT\" --forward-agent \\",
                "      --agent \"$SSH_AUTH_SOCK\" --known-hosts known_hosts",
                "  tunnel client --server ws://a:8080 --server ws://b:8080#weight=3 --server ws://c:8080#priority=1 \\",
                "      --token \"$JWT\" --expose llm=127.0.0.1:11434 --fingerprint SHA256:... --failback-delay 1m"})
final class ClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    CryptoCliOptions crypto;

    @Mixin
    TlsClientOptions tls;

    @Option(names = "--server", paramLabel = "URI[#weight=N&priority=N]", required = true, split = ",",
            description = "The server's tunnel endpoint, like ws://host:8080 (the path defaults to /tunnel). Repeatable: "
                    + "several servers make a failover client, in priority order (the first is the primary); "
                    + "#weight=N shares clients among servers of equal priority, #priority=N sets it (0 is best).")
    List<String> servers = new ArrayList<>();

    @Option(names = "--token", paramLabel = "JWT",
            description = "Bearer token; its subject is the user name unless --user says otherwise.")
    @Nullable String token;

    @Option(names = "--expose", paramLabel = "NAME=HOST:PORT", split = ",",
            description = "Expose the local service at HOST:PORT as service NAME. Repeatable.")
    List<ExposedService> services = new ArrayList<>();

    @Option(names = "--fingerprint", paramLabel = "SHA256:...", split = ",",
            description = "Trust only a server host key with this fingerprint (as 'tunnel server' prints it). Repeatable.")
    List<String> fingerprints = new ArrayList<>();

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "OpenSSH known_hosts file with the server's host key.")
    @Nullable Path knownHosts;

    @Option(names = "--trust-on-first-use",
            description = "Record an unknown server's host key in the known_hosts file; a changed key is still refused.")
    boolean trustOnFirstUse;

    @Option(names = "--identity", paramLabel = "KEYFILE",
            description = "Private key for SSH public-key login (with --user, or in addition to --token).")
    @Nullable Path identity;

    @Option(names = "--user", paramLabel = "NAME", description = "SSH user name; required with --identity and no --token.")
    @Nullable String user;

    @Option(names = "--forward-agent",
            description = "Forward your local SSH agent to the server (off by default): server-side code may then list "
                    + "your keys and sign with them (nothing else), each use printed here; the keys never leave this machine. "
                    + "The agent is --agent, else $SSH_AUTH_SOCK, else gpg-agent's SSH socket, else (Windows) the OpenSSH "
                    + "agent's pipe or Pageant's.")
    boolean forwardAgent;

    @Option(names = "--agent", paramLabel = "PATH",
            description = "The local SSH agent to forward: a Unix socket path, or a Windows named pipe such as "
                    + "\\\\.\\pipe\\openssh-ssh-agent. Needs --forward-agent.")
    @Nullable String agent;

    @Option(names = "--keepalive", paramLabel = "DURATION", defaultValue = "5s",
            description = "How often a quiet connection is pinged. Default: ${DEFAULT-VALUE}.")
    Duration keepAlive;

    @Option(names = "--keepalive-timeout", paramLabel = "DURATION", defaultValue = "15s",
            description = "How long without a sign of the server before reconnecting. Default: ${DEFAULT-VALUE}.")
    Duration keepAliveTimeout;

    @Option(names = "--sessions", paramLabel = "N", defaultValue = "1",
            description = "Parallel SSH sessions to keep to the server (1 to 64); each registers every service and the "
                    + "server spreads streams over them. Default: ${DEFAULT-VALUE}.")
    int sessions;

    @Mixin
    FailoverOptions failover;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AtomicReference<@Nullable TunnelEvent> failure = new AtomicReference<>();
        List<Endpoint> endpoints = InvalidOptions.check(spec, this::endpoints);
        TunnelClientConfig config = InvalidOptions.check(spec, () -> config(endpoints.getFirst().uri(), out, err, failure));
        TunnelClient client = endpoints.size() == 1 ? TunnelClient.create(config)
                : InvalidOptions.check(spec, () -> failoverClient(config, endpoints, out));
        StopSignal stop = StopSignal.arm("tunnel-client-stop", client::close);
        try {
            client.start();
            boolean terminated;
            do {
                terminated = client.awaitTermination(Duration.ofMinutes(1));
            } while (!terminated);
            TunnelEvent failed = failure.get();
            if (client.state() == TunnelState.FAILED && failed != null) {
                err.println(spec.qualifiedName() + ": " + (failed.cause() != null ? Failures.describe(failed.cause()) : failed.detail()));
                err.flush();
                return 1;
            }
            return 0;
        } catch (InterruptedException e) {
            client.shutdownNow();
            throw e;
        } finally {
            stop.disarm();
        }
    }

    /** The servers in priority order (unless a fragment says otherwise). */
    private List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            String server = servers.get(i);
            AbsoluteUris.parse(server.contains("#") ? server.substring(0, server.indexOf('#')) : server);
            endpoints.add(Endpoint.parse(server, i));
        }
        if (endpoints.size() == 1 && servers.getFirst().contains("#")) {
            throw new IllegalArgumentException("#weight and #priority choose among several --server options; one was given");
        }
        return endpoints;
    }

    /** A client over several servers that prints each change of its failover state on {@code out}. */
    private FailoverTunnelClient failoverClient(TunnelClientConfig config, List<Endpoint> endpoints, PrintWriter out) {
        FailoverConfig.Builder builder = failover.apply(FailoverConfig.builder(config));
        endpoints.forEach(builder::endpoint);
        FailoverTunnelClient client = FailoverTunnelClient.create(builder.build());
        client.addListener(new FailoverStatusPrinter(out, client::status));
        return client;
    }

    private TunnelClientConfig config(URI server, PrintWriter out, PrintWriter err, AtomicReference<@Nullable TunnelEvent> failure) {
        TunnelClientConfig.Builder builder = TunnelClientConfig.builder()
                .crypto(crypto.options())
                .server(server)
                .hostKeys(hostKeyPolicy())
                .keepAlive(keepAlive, keepAliveTimeout)
                .sessions(sessions)
                .listener(new EventPrinter(err, common.verbose()))
                .listener(CryptoAuditListener.logging())
                .listener(event -> announceRegistration(event, out))
                .listener(event -> {
                    if (event.type() == TunnelEvent.Type.FAILED) {
                        failure.set(event);
                    }
                });
        services.forEach(builder::expose);
        tls.apply(builder);
        if (token != null) {
            builder.token(token);
        }
        if (user != null) {
            builder.user(user);
        }
        if (identity != null) {
            builder.identityFile(identity);
        }
        if (forwardAgent) {
            builder.forwardAgent(true).component(LocalAgentProvider.class, AgentForwardingClient.builder()
                    .audit(AgentAudit.composite(AgentAudit.log(), new AuditPrinter(err))).build());
        }
        if (agent != null) {
            builder.agent(agent);
        }
        return builder.build();
    }

    private HostKeyPolicy hostKeyPolicy() {
        if (!fingerprints.isEmpty()) {
            if (knownHosts != null || trustOnFirstUse) {
                throw new ParameterException(spec.commandLine(),
                        "--fingerprint pins the host key: it cannot be combined with --known-hosts or --trust-on-first-use");
            }
            return new HostKeyPolicy.Pinned(fingerprints);
        }
        Path file = knownHosts != null ? knownHosts : KnownHosts.defaultFile();
        return trustOnFirstUse ? HostKeyPolicy.trustOnFirstUse(file) : HostKeyPolicy.knownHosts(file);
    }

    private void announceRegistration(TunnelEvent event, PrintWriter out) {
        if (event.type() != TunnelEvent.Type.CONNECTED) {
            return;
        }
        String registered = services.isEmpty() ? "no services"
                : services.stream().map(ExposedService::toString).collect(Collectors.joining(", "));
        out.println("registered: " + registered + " at " + event.endpoint() + " as " + event.user());
        out.flush();
    }
}
