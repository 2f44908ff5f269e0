package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Our server and client as separate JVMs from the shaded CLI jar, pinned to the tunnel core: the server with an
 * ingress and a TCP listener for each service, the client exposing the HTTP backend and the bulk service.
 */
final class OurTunnel implements AutoCloseable {
    static final String USER = "bench";
    static final String HTTP_SERVICE = "http";
    static final String BULK_SERVICE = "bulk";
    static final String SECRET = "benchmark-secret-that-is-at-least-32-bytes";
    /** The client offers what OpenSSH is configured with, so the rows compare the same algorithms. */
    static final List<String> LIKE_FOR_LIKE = List.of("--kex", OpenSshConfig.KEX, "--ciphers", OpenSshConfig.CIPHER);

    private final Path jar;
    private final Path dir;
    private final List<String> jvmOptions;
    private final Proc server;
    private final int ingressPort;
    private final int bulkPort;
    private final int httpTcpPort;
    private final String fingerprint;
    private final String token;
    private final List<Proc> clients = new ArrayList<>();

    private OurTunnel(Path jar, Path dir, List<String> jvmOptions, Proc server, int ingressPort, int bulkPort,
            int httpTcpPort, String fingerprint, String token) {
        this.jar = jar;
        this.dir = dir;
        this.jvmOptions = jvmOptions;
        this.server = server;
        this.ingressPort = ingressPort;
        this.bulkPort = bulkPort;
        this.httpTcpPort = httpTcpPort;
        this.fingerprint = fingerprint;
        this.token = token;
    }

    /**
     * Starts the server, then one client exposing {@code http} and {@code bulk}, and waits until both are up.
     * {@code profile} records both with JFR into {@code dir}.
     */
    static OurTunnel start(Path jar, Path dir, int httpPort, int bulkServicePort, boolean profile) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int bulkPort = Ports.free();
        int httpTcpPort = Ports.free();
        List<String> serverOptions = profile ? jfr(dir, "server") : List.of();
        Proc server = Proc.start("our-server", Pinning.TUNNEL_CORE, java(jar, serverOptions, "server", "--listen", "127.0.0.1:0",
                "--data-dir", dir.resolve("server").toString(), "--jwt-secret", SECRET,
                "--tcp-listener", USER + "/" + BULK_SERVICE + "=127.0.0.1:" + bulkPort,
                "--tcp-listener", USER + "/" + HTTP_SERVICE + "=127.0.0.1:" + httpTcpPort), dir.resolve("server.log"));
        OurTunnel tunnel = null;
        try {
            String fingerprint = server.awaitLine(line -> line.startsWith("host key fingerprint: "), Duration.ofSeconds(60))
                    .substring("host key fingerprint: ".length()).trim();
            String ready = server.awaitLine(line -> line.startsWith("ready:"), Duration.ofSeconds(60));
            int ingressPort = Integer.parseInt(ready.replaceAll(".*ws://127\\.0\\.0\\.1:(\\d+)/.*", "$1"));
            String token = Proc.run(java(jar, List.of(), "token", "--secret", SECRET, "--user", USER, "--ttl", "12h")).trim();
            tunnel = new OurTunnel(jar, dir, profile ? jfr(dir, "client") : List.of(), server, ingressPort, bulkPort,
                    httpTcpPort, fingerprint, token);
            Proc client = tunnel.startClient("client", List.of(HTTP_SERVICE + "=127.0.0.1:" + httpPort,
                    BULK_SERVICE + "=127.0.0.1:" + bulkServicePort));
            tunnel.clients.add(client);
            client.awaitLine(line -> line.startsWith("registered:"), Duration.ofSeconds(60));
            return tunnel;
        } catch (InterruptedException | RuntimeException e) {
            if (tunnel != null) {
                tunnel.close();
            } else {
                server.close();
            }
            throw e;
        }
    }

    /** Starts one more client JVM exposing {@code services} (like {@code name=127.0.0.1:80}), without waiting. */
    Proc startClient(String name, List<String> services) {
        return startClient(name, services, name.equals("client") ? jvmOptions : List.of());
    }

    /** As {@link #startClient(String, List)}, the JVM started with {@code options}. */
    Proc startClient(String name, List<String> services, List<String> options) {
        List<String> arguments = new ArrayList<>(List.of("client", "--server", serverUri(), "--token", token,
                "--fingerprint", fingerprint));
        services.forEach(service -> arguments.addAll(List.of("--expose", service)));
        return startProcess(name, arguments, options);
    }

    /** Starts the CLI with {@code arguments} (and the like-for-like algorithms) on the tunnel core, without waiting. */
    Proc startProcess(String name, List<String> arguments) {
        return startProcess(name, arguments, List.of());
    }

    private Proc startProcess(String name, List<String> arguments, List<String> options) {
        List<String> all = new ArrayList<>(arguments);
        all.addAll(LIKE_FOR_LIKE);
        return Proc.start("our-" + name, Pinning.TUNNEL_CORE, java(jar, options, all.toArray(String[]::new)),
                dir.resolve(name + ".log"));
    }

    /** The directory this tunnel keeps its files and logs in. */
    Path dir() {
        return dir;
    }

    Path jar() {
        return jar;
    }

    static List<String> java(Path jar, List<String> options, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Jvm.javaBinary()));
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    /** Records with JFR's profiling settings into {@code dir/name.jfr}, written when the JVM exits. */
    private static List<String> jfr(Path dir, String name) {
        return List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + dir.resolve(name + ".jfr"));
    }

    String serverUri() {
        return "ws://127.0.0.1:" + ingressPort + "/tunnel";
    }

    int ingressPort() {
        return ingressPort;
    }

    int bulkPort() {
        return bulkPort;
    }

    /** The TCP listener for the HTTP service: a plain port forward like {@code ssh -L}, without the ingress. */
    int httpTcpPort() {
        return httpTcpPort;
    }

    String fingerprint() {
        return fingerprint;
    }

    String token() {
        return token;
    }

    /** The main client's process id. */
    long clientPid() {
        return clients.getFirst().pid();
    }

    long serverPid() {
        return server.pid();
    }

    @Override
    public void close() {
        clients.forEach(Proc::close);
        server.close();
    }
}
