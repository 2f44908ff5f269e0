package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything a run starts on loopback: the backend and bulk service, OpenSSH's sshd with one {@code -L} and one
 * {@code -R} forward, and our server and client, plus the settings scenarios run with.
 */
final class Rig implements AutoCloseable {
    private final Settings settings;
    private final Path dir;
    private final HttpBackend backend;
    private final BulkService bulk;
    private final OpenSsh openSsh;
    private final OurTunnel ours;
    private final List<Target> targets;
    private final Target oursThroughTcp;
    private final List<Proc> forwards;

    private Rig(Settings settings, Path dir, HttpBackend backend, BulkService bulk, OpenSsh openSsh, OurTunnel ours,
            List<Target> targets, Target oursThroughTcp, List<Proc> forwards) {
        this.settings = settings;
        this.dir = dir;
        this.backend = backend;
        this.bulk = bulk;
        this.openSsh = openSsh;
        this.ours = ours;
        this.targets = targets;
        this.oursThroughTcp = oursThroughTcp;
        this.forwards = forwards;
    }

    static Rig start(Settings settings, Path dir, Path tunnelJar, boolean profile) throws IOException, InterruptedException {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            HttpBackend backend = keep(started, HttpBackend.start());
            BulkService bulk = keep(started, BulkService.start());
            OpenSsh openSsh = keep(started, OpenSsh.start(dir.resolve("openssh")));
            int httpL = Ports.free();
            int bulkL = Ports.free();
            int httpR = Ports.free();
            int bulkR = Ports.free();
            Proc sshL = keep(started, openSsh.forwardLocal(httpL, backend.port()));
            Proc sshBulkL = keep(started, openSsh.forwardLocal(bulkL, bulk.port()));
            Proc sshR = keep(started, openSsh.forwardRemote(httpR, backend.port()));
            Proc sshBulkR = keep(started, openSsh.forwardRemote(bulkR, bulk.port()));
            OurTunnel ours = OurTunnel.start(tunnelJar, dir.resolve("ours"), backend.port(), bulk.port(), profile);
            List<Target> targets = List.of(
                    new Target(Setups.DIRECT, backend.port(), "", bulk.port(), List::of, List::of),
                    new Target(Setups.SSH_L, httpL, "", bulkL, openSsh::sshdPids, () -> List.of(sshL.pid(), sshBulkL.pid())),
                    new Target(Setups.SSH_R, httpR, "", bulkR, openSsh::sshdPids, () -> List.of(sshR.pid(), sshBulkR.pid())),
                    new Target(Setups.OURS, ours.ingressPort(), "/t/" + OurTunnel.USER + "/" + OurTunnel.HTTP_SERVICE,
                            ours.bulkPort(), () -> List.of(ours.serverPid()), () -> List.of(ours.clientPid())));
            Target oursThroughTcp = new Target(Setups.OURS, ours.httpTcpPort(), "", ours.bulkPort(),
                    () -> List.of(ours.serverPid()), () -> List.of(ours.clientPid()));
            return new Rig(settings, dir, backend, bulk, openSsh, ours, targets, oursThroughTcp,
                    List.of(sshL, sshBulkL, sshR, sshBulkR));
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (AutoCloseable closeable : started.reversed()) {
                try {
                    closeable.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> started, T closeable) {
        started.add(closeable);
        return closeable;
    }

    Settings settings() {
        return settings;
    }

    Path dir() {
        return dir;
    }

    HttpBackend backend() {
        return backend;
    }

    OpenSsh openSsh() {
        return openSsh;
    }

    OurTunnel ours() {
        return ours;
    }

    /** The header every request carries, so that all setups see the same bytes (only ours checks it). */
    String authorization() {
        return "Bearer " + ours.token();
    }

    /** Every setup, rotated by {@code repetition} so that no setup always runs first or last. */
    List<Target> targets(int repetition) {
        List<Target> rotated = new ArrayList<>(targets);
        Collections.rotate(rotated, -repetition);
        return rotated;
    }

    /**
     * Our tunnel reached through the server's TCP listener instead of its ingress: a plain port forward like
     * {@code ssh -L}, without the ingress's HTTP parsing, bearer check and upstream pool.
     */
    Target oursThroughTcp() {
        return oursThroughTcp;
    }

    @Override
    public void close() throws IOException {
        ours.close();
        forwards.forEach(Proc::close);
        openSsh.close();
        bulk.close();
        backend.close();
    }
}
