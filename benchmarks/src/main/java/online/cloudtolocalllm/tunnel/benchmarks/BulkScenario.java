package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenario 1 (and the per-GiB half of 6): bulk upload to the sink over one stream and over 8 in parallel, every
 * stream's SHA-256 checked at the far end; CPU seconds of both tunnel ends per GiB on the one-stream runs.
 */
final class BulkScenario implements Scenario {
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final byte[] BLOCK = block();
    private final Map<Long, String> digests = new HashMap<>();

    @Override
    public int number() {
        return 1;
    }

    @Override
    public void run(Rig rig, ResultSet results) throws Exception {
        long total = rig.settings().bulkBytes();
        for (int streams : new int[] {1, 8}) {
            for (Target target : rig.targets(0)) {
                send(target, Math.max(total / 8, BLOCK.length), 1); // warm-up, discarded
            }
            ResultSet.Metric.Key throughput = new ResultSet.Metric.Key("1 bulk", streams + (streams == 1 ? " stream" : " streams")
                    + ", " + total / Settings.MIB + " MiB, SHA-256 checked", "MB/s", true);
            for (int repetition = 0; repetition < rig.settings().repetitions(); repetition++) {
                for (Target target : rig.targets(repetition)) {
                    CpuMeter cpu = CpuMeter.start(target);
                    long start = System.nanoTime();
                    send(target, total / streams, streams);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    CpuMeter.Used used = cpu.stop();
                    results.add(throughput, target.name(), total / seconds / 1e6);
                    if (streams == 1 && target.isTunnel()) {
                        used.record(results, "per GiB (bulk, 1 stream)", target.name(), GIB / total);
                    }
                    Log.info("bulk %s x%d: %.0f MB/s", target.name(), streams, total / seconds / 1e6);
                }
            }
        }
    }

    /** Sends {@code bytesPerStream} over each of {@code streams} parallel connections and checks each digest. */
    private void send(Target target, long bytesPerStream, int streams) throws Exception {
        long rounded = bytesPerStream / BLOCK.length * BLOCK.length;
        String expected = digests.computeIfAbsent(rounded, BulkScenario::digestOf);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                answers.add(pool.submit(() -> upload(target.bulkPort(), rounded)));
            }
            for (Future<String> answer : answers) {
                String digest = answer.get();
                if (!digest.equals(expected)) {
                    throw new IllegalStateException(target.name() + ": SHA-256 mismatch, sent " + expected + ", sink saw " + digest);
                }
            }
        }
    }

    static String upload(int port, long bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            OutputStream out = socket.getOutputStream();
            for (long sent = 0; sent < bytes; sent += BLOCK.length) {
                out.write(BLOCK);
            }
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String digestOf(long bytes) {
        MessageDigest digest = BulkSink.sha256();
        for (long done = 0; done < bytes; done += BLOCK.length) {
            digest.update(BLOCK);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** 1 MiB of seeded random bytes: incompressible, and the same in every run. */
    private static byte[] block() {
        byte[] block = new byte[(int) Settings.MIB];
        new Random(42).nextBytes(block);
        return block;
    }
}
