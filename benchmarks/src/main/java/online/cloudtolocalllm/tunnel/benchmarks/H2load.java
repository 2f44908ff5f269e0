package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs h2load over HTTP/1.1 at a fixed request rate on the load core and reads its per-request log. */
final class H2load {
    private static final long WARM_UP_MICROS = 1_000_000;
    private static final String INACTIVITY_LIMIT = "10s";
    private static final Pattern SUMMARY = Pattern.compile("requests: (\\d+) total, \\d+ started, \\d+ done, (\\d+) succeeded");

    private H2load() {
    }

    /**
     * The latency of every successful request after the first second, in milliseconds. It counts requests
     * ({@code -n}) rather than time ({@code -D}): h2load 1.52's timing mode at times starts no request at all.
     */
    static List<Double> run(String url, int connections, int ratePerConnection, int seconds, String authorization, Path log)
            throws IOException {
        Files.deleteIfExists(log);
        long requests = (long) connections * ratePerConnection * (seconds + WARM_UP_MICROS / 1_000_000);
        // a connection that waits longer than this for its answer is closed, so a lost response ends the run
        String output = Proc.run(List.of("taskset", "-c", Integer.toString(Pinning.LOAD_CORE), "h2load", "--h1", "-t", "1",
                "-c", Integer.toString(connections), "--rps", Integer.toString(ratePerConnection),
                "-n", Long.toString(requests), "-N", INACTIVITY_LIMIT, "--log-file", log.toString(),
                "-H", "Authorization: " + authorization, url));
        long unanswered = unanswered(output);
        if (unanswered > 0) {
            throw new IllegalStateException(unanswered + " of " + requests + " requests to " + url
                    + " got no successful answer (waited " + INACTIVITY_LIMIT + " at most):\n" + output);
        }
        List<Double> millis = Files.exists(log) ? parseLog(Files.readAllLines(log), WARM_UP_MICROS) : List.of();
        if (millis.isEmpty()) {
            throw new IllegalStateException("h2load completed no request to " + url + ":\n" + output);
        }
        return millis;
    }

    /**
     * How many requests h2load's summary line ({@code requests: 3000 total, 3000 started, 2990 done, 2990 succeeded,
     * 10 failed, 0 errored, 10 timeout}) counts as not succeeded.
     */
    static long unanswered(String output) {
        Matcher summary = SUMMARY.matcher(output);
        if (!summary.find()) {
            throw new IllegalStateException("h2load printed no request summary:\n" + output);
        }
        return Long.parseLong(summary.group(1)) - Long.parseLong(summary.group(2));
    }

    /**
     * h2load's {@code --log-file} lines: start time (µs since the epoch), status code, and µs until the response
     * ended, tab-separated. Only 2xx answers count, and none that started within {@code warmUpMicros} of the first.
     */
    static List<Double> parseLog(List<String> lines, long warmUpMicros) {
        List<long[]> entries = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.trim().split("\t");
            if (fields.length >= 3) {
                entries.add(new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2])});
            }
        }
        long first = entries.stream().mapToLong(entry -> entry[0]).min().orElse(0);
        List<Double> millis = new ArrayList<>();
        for (long[] entry : entries) {
            if (entry[0] >= first + warmUpMicros && entry[1] / 100 == 2) {
                millis.add(entry[2] / 1000.0);
            }
        }
        return millis;
    }
}
