package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Scenario 1 (and the per-GiB half of 6): bulk upload to the bulk service over one stream and over 8 in parallel,
 * and bulk download from it over one stream (the direction of a local service's answers), every stream's SHA-256
 * checked at the receiving end; CPU seconds of both tunnel ends per GiB on the one-stream runs.
 */
final class BulkScenario implements Scenario {
    private static final double GIB = 1024.0 * 1024 * 1024;
    private final Map<Long, String> digests = new HashMap<>();

    /** One way of moving bulk data through a target. */
    private enum Direction {
        UPLOAD, DOWNLOAD
    }

    @Override
    public int number() {
        return 1;
    }

    @Override
    public void run(Rig rig, ResultSet results) throws Exception {
        measure(rig, results, Direction.UPLOAD, 1, "1 stream", Optional.of("per GiB (bulk, 1 stream)"));
        measure(rig, results, Direction.UPLOAD, 8, "8 streams", Optional.empty());
        measure(rig, results, Direction.DOWNLOAD, 1, "1 stream from the service (download)",
                Optional.of("per GiB (bulk download, 1 stream)"));
    }

    /** Rows "{@code what}, N MiB" in MB/s, and per-GiB CPU rows of the tunnels named {@code cpuRow} if given. */
    private void measure(Rig rig, ResultSet results, Direction direction, int streams, String what,
            Optional<String> cpuRow) throws Exception {
        long total = rig.settings().bulkBytes();
        for (Target target : rig.targets(0)) {
            move(target, direction, Math.max(total / 8, BulkService.BLOCK.length), 1); // warm-up, discarded
        }
        ResultSet.Metric.Key throughput = new ResultSet.Metric.Key("1 bulk",
                what + ", " + total / Settings.MIB + " MiB, SHA-256 checked", "MB/s", true);
        for (int repetition = 0; repetition < rig.settings().repetitions(); repetition++) {
            for (Target target : rig.targets(repetition)) {
                CpuMeter cpu = CpuMeter.start(target);
                long start = System.nanoTime();
                move(target, direction, total / streams, streams);
                double seconds = (System.nanoTime() - start) / 1e9;
                CpuMeter.Used used = cpu.stop();
                results.add(throughput, target.name(), total / seconds / 1e6);
                if (cpuRow.isPresent() && target.isTunnel()) {
                    used.record(results, cpuRow.get(), target.name(), GIB / total);
                }
                Log.info("bulk %s %s x%d: %.0f MB/s", direction, target.name(), streams, total / seconds / 1e6);
            }
        }
    }

    /** Moves {@code bytesPerStream} over each of {@code streams} parallel connections and checks each digest. */
    private void move(Target target, Direction direction, long bytesPerStream, int streams) throws Exception {
        long rounded = bytesPerStream / BulkService.BLOCK.length * BulkService.BLOCK.length;
        String expected = digests.computeIfAbsent(rounded, BulkService::digestOf);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> received = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                received.add(pool.submit(() -> direction == Direction.UPLOAD
                        ? BulkService.upload(target.bulkPort(), rounded)
                        : BulkService.download(target.bulkPort(), rounded)));
            }
            for (Future<String> digest : received) {
                if (!digest.get().equals(expected)) {
                    throw new IllegalStateException(target.name() + ": SHA-256 mismatch on " + direction + ", sent "
                            + expected + ", received " + digest.get());
                }
            }
        }
    }
}
