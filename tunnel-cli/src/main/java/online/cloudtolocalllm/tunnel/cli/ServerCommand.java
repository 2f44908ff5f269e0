package online.cloudtolocalllm.tunnel.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import online.cloudtolocalllm.tunnel.agent.AgentAudit;
import online.cloudtolocalllm.tunnel.agent.AgentForwardingServer;
import online.cloudtolocalllm.tunnel.agent.AgentPolicy;
import online.cloudtolocalllm.tunnel.api.PoolSettings;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelServerConfig;
import online.cloudtolocalllm.tunnel.crypto.audit.CryptoAuditListener;
import online.cloudtolocalllm.tunnel.spi.AgentGatewayProvider;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tunnel server}: runs a tunnel server until Ctrl-C or SIGTERM. */
@Command(name = "server",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Runs a tunnel server.",
        description = {
                "Listens on one port: tunnel clients connect over WebSocket at /tunnel, and HTTP requests to "
                        + "/t/{user}/{service}/... reach the services they expose (with a bearer token of that user "
                        + "unless the service is --public).",
                "Prints the host key fingerprint, then a line starting with 'ready:' once it accepts connections; "
                        + "tunnel events go to standard error. Ctrl-C or SIGTERM shuts it down gracefully.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  tunnel server --listen 127.0.0.1:8080 --data-dir ./data --jwt-secret \"$SECRET\"",
                "  tunnel server --listen 0.0.0.0:8080 --data-dir /var/lib/tunnel \\",
                "      --jwks-url https://idp.example.com/jwks.json --authorized-keys keys.txt \\",
                "      --public alice/docs --tcp-listener alice/db=127.0.0.1:15432",
                "  tunnel server --listen 0.0.0.0:8080 --data-dir /var/lib/tunnel --jwt-secret \"$SECRET\" \\",
                "      --agent-socket-dir /run/tunnel-agents",
                "  tunnel server --listen 0.0.0.0:8443 --data-dir /var/lib/tunnel --jwt-secret \"$SECRET\" \\",
                "      --tls-cert fullchain.pem --tls-key key.pem --require-tls",
                "  tunnel server --config server.properties",
                "      where server.properties has lines like listen=0.0.0.0:8080"})
final class ServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    CryptoCliOptions crypto;

    @Mixin
    TlsServerOptions tls;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Address to listen on; port 0 picks a free port. Default: ${DEFAULT-VALUE}.")
    InetSocketAddress listen;

    @Option(names = "--data-dir", paramLabel = "DIR", required = true,
            description = "Directory for the server's state: its SSH host key is created there once and kept.")
    Path dataDir;

    @Option(names = "--jwt-secret", paramLabel = "SECRET",
            description = "HS256 secret (at least 32 bytes) that tokens are signed with.")
    @Nullable String jwtSecret;

    @Option(names = "--jwks-url", paramLabel = "URL",
            description = "JWKS URL with the RS256/ES256 keys that tokens are signed with (instead of --jwt-secret).")
    @Nullable URI jwksUrl;

    @Option(names = "--jwt-issuer", paramLabel = "ISSUER", description = "Issuer (iss) that tokens must carry.")
    @Nullable String jwtIssuer;

    @Option(names = "--jwt-audience", paramLabel = "AUDIENCE", description = "Audience (aud) that tokens must carry.")
    @Nullable String jwtAudience;

    @Option(names = "--authorized-keys", paramLabel = "FILE",
            description = "OpenSSH authorized_keys file for SSH key logins; each key's comment is the user it logs in.")
    @Nullable Path authorizedKeys;

    @Option(names = "--public", paramLabel = "USER/SERVICE", split = ",",
            description = "Serve this service at ingress without a token. Repeatable.")
    List<String> publicServices = new ArrayList<>();

    @Option(names = "--forward-allow", paramLabel = "HOST:PORT", split = ",",
            description = "Let clients open forward streams to targets matching HOST:PORT ('*' matches any). Repeatable.")
    List<String> forwardAllow = new ArrayList<>();

    @Option(names = "--tcp-listener", paramLabel = "USER/SERVICE=HOST:PORT", split = ",",
            description = "Also forward raw TCP connections on HOST:PORT to that service. Repeatable.")
    List<String> tcpListeners = new ArrayList<>();

    @Option(names = "--allow-agent-forwarding",
            description = "Let clients forward their SSH agents (off by default); server-side code gets a user's agent "
                    + "with TunnelServer.forwardedAgent(user). Every agent operation is printed as an audit line.")
    boolean allowAgentForwarding;

    @Option(names = "--agent-socket-dir", paramLabel = "DIR",
            description = "Also expose each user's forwarded agent as DIR/<user>.sock (owner-only) while their tunnel "
                    + "forwards one, for tools that take SSH_AUTH_SOCK. Implies --allow-agent-forwarding.")
    @Nullable Path agentSocketDir;

    @Option(names = "--agent-operations", paramLabel = "OPS", defaultValue = "list,sign",
            description = "The agent operations forwarded agents let through; the others are refused and audited. "
                    + "Default: ${DEFAULT-VALUE}. Also: add, remove, remove-all, lock, unlock, extension.")
    String agentOperations;

    @Option(names = "--host-key-rotation", paramLabel = "INTERVAL/OVERLAP",
            description = "Rotate the host key kept in --data-dir: every INTERVAL a new key is announced to connected "
                    + "clients (hostkeys-00@openssh.com), and OVERLAP later it replaces the old key, e.g. 30d/2d. Off by "
                    + "default; a key in a token (--key) is not rotated.")
    @Nullable String hostKeyRotation;

    @Option(names = "--host-cert", paramLabel = "FILE",
            description = "Present the host key with this OpenSSH host certificate (ssh-keygen -s CA -h -n HOST "
                    + "ssh_host_ed25519_key.pub), so clients with the CA as @cert-authority in known_hosts accept the "
                    + "server without knowing its key. Checked at start: it must certify this server's key and be valid.")
    @Nullable Path hostCertificate;

    @Option(names = "--keepalive", paramLabel = "DURATION", defaultValue = "5s",
            description = "How often a quiet connection is pinged. Default: ${DEFAULT-VALUE}.")
    Duration keepAlive;

    @Option(names = "--keepalive-timeout", paramLabel = "DURATION", defaultValue = "15s",
            description = "How long a silent connection lives before it is closed as dead. Default: ${DEFAULT-VALUE}.")
    Duration keepAliveTimeout;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long shutting down waits for open streams to finish. Default: ${DEFAULT-VALUE}.")
    Duration shutdownTimeout;

    @Option(names = "--ingress-pool-size", paramLabel = "N", defaultValue = "1024",
            description = "Most pooled connections ingress keeps open per service and I/O thread. Default: ${DEFAULT-VALUE}.")
    int ingressPoolSize;

    @Option(names = "--ingress-pool-min-idle", paramLabel = "N", defaultValue = "0",
            description = "Idle connections per service and I/O thread kept open ahead of demand once a service has "
                    + "been used. Default: ${DEFAULT-VALUE}.")
    int ingressPoolMinIdle;

    @Option(names = "--ingress-pool-max-idle", paramLabel = "DURATION", defaultValue = "60s",
            description = "Pooled connections idle this long are closed. Default: ${DEFAULT-VALUE}.")
    Duration ingressPoolMaxIdle;

    @Option(names = "--ingress-pool-max-age", paramLabel = "DURATION", defaultValue = "1h",
            description = "Pooled connections this old are retired. Default: ${DEFAULT-VALUE}.")
    Duration ingressPoolMaxAge;

    @Option(names = "--ingress-reconnect-wait", paramLabel = "DURATION", defaultValue = "5s",
            description = "How long an ingress request waits for a service whose client lost its session in the last "
                    + "minute (it is reconnecting) before it is answered 503 with Retry-After; 0 answers 404 at once. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration ingressReconnectWait;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        TunnelServerConfig config = InvalidOptions.check(spec, this::config);
        TunnelServer server = TunnelServer.create(config);
        StopSignal stop = StopSignal.arm("tunnel-server-stop", server::close);
        try {
            server.start().join();
            String address = HostPort.format(server.address().orElseThrow());
            out.println("host key fingerprint: " + server.hostKeyFingerprint());
            if (config.tls().isPresent()) {
                out.println("tls public-key pin: " + tls.pin());
                out.println("ready: tunnel endpoint wss://" + address + "/tunnel, ingress https://" + address + "/t/{user}/{service}/");
            } else {
                out.println("ready: tunnel endpoint ws://" + address + "/tunnel, ingress http://" + address + "/t/{user}/{service}/");
            }
            out.flush();
            boolean terminated;
            do {
                terminated = server.awaitTermination(Duration.ofMinutes(1));
            } while (!terminated);
            return 0;
        } catch (InterruptedException e) {
            server.shutdownNow();
            throw e;
        } finally {
            stop.disarm();
        }
    }

    private TunnelServerConfig config() {
        TunnelServerConfig.Builder builder = TunnelServerConfig.builder()
                .crypto(crypto.options())
                .listen(listen)
                .dataDir(dataDir)
                .keepAlive(keepAlive, keepAliveTimeout)
                .shutdownTimeout(shutdownTimeout)
                .ingressReconnectWait(ingressReconnectWait)
                .ingressPool(new PoolSettings(ingressPoolMinIdle, ingressPoolSize, ingressPoolMaxAge, ingressPoolMaxIdle))
                .listener(new EventPrinter(spec.commandLine().getErr(), common.verbose()))
                .listener(CryptoAuditListener.logging());
        tls.settings().ifPresent(builder::tls);
        if (hostKeyRotation != null) {
            String[] parts = hostKeyRotation.split("/", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("Expected --host-key-rotation INTERVAL/OVERLAP such as 30d/2d, got '"
                        + hostKeyRotation + "'");
            }
            DurationConverter durations = new DurationConverter();
            builder.hostKeyRotation(durations.convert(parts[0]), durations.convert(parts[1]));
        }
        if (hostCertificate != null) {
            builder.hostCertificate(hostCertificate);
        }
        if (jwtSecret != null) {
            builder.jwtSecret(jwtSecret);
        }
        if (jwksUrl != null) {
            builder.jwksUrl(jwksUrl);
        }
        if (jwtIssuer != null) {
            builder.jwtIssuer(jwtIssuer);
        }
        if (jwtAudience != null) {
            builder.jwtAudience(jwtAudience);
        }
        if (authorizedKeys != null) {
            builder.authorizedKeys(authorizedKeys);
        }
        for (String userService : publicServices) {
            String[] parts = userService(userService);
            builder.publicService(parts[0], parts[1]);
        }
        forwardAllow.forEach(builder::forwardAllow);
        AgentPolicy agentPolicy = AgentPolicy.parse(agentOperations);
        if (allowAgentForwarding || agentSocketDir != null) {
            AgentForwardingServer.Builder agents = AgentForwardingServer.builder().policy(agentPolicy)
                    .audit(AgentAudit.composite(AgentAudit.log(), new AuditPrinter(spec.commandLine().getErr())));
            if (agentSocketDir != null) {
                agents.socketDirectory(agentSocketDir);
            }
            builder.allowAgentForwarding(true).component(AgentGatewayProvider.class, agents.build());
        } else if (!agentPolicy.equals(AgentPolicy.DEFAULT)) {
            throw new IllegalArgumentException("--agent-operations needs --allow-agent-forwarding or --agent-socket-dir");
        }
        for (String listener : tcpListeners) {
            int equals = listener.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("Expected USER/SERVICE=HOST:PORT, got '" + listener + "'");
            }
            String[] parts = userService(listener.substring(0, equals));
            builder.tcpListener(parts[0], parts[1], HostPort.parse(listener.substring(equals + 1)));
        }
        return builder.build();
    }

    private static String[] userService(String spec) {
        String[] parts = spec.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("Expected USER/SERVICE, got '" + spec + "'");
        }
        return parts;
    }
}
