package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs h2load over HTTP/1.1 at a fixed request rate on the load core and reads its per-request log. */
final class H2load {
    private H2load() {
    }

    /** The latency of every successful request, in milliseconds. */
    static List<Double> run(String url, int connections, int ratePerConnection, int seconds, String authorization, Path log)
            throws IOException {
        Files.deleteIfExists(log);
        Proc.run(List.of("taskset", "-c", Integer.toString(Pinning.LOAD_CORE), "h2load", "--h1", "-t", "1",
                "-c", Integer.toString(connections), "--rps", Integer.toString(ratePerConnection),
                "-D", Integer.toString(seconds), "--warm-up-time", "1", "--log-file", log.toString(),
                "-H", "Authorization: " + authorization, url));
        return parseLog(Files.readAllLines(log));
    }

    /**
     * h2load's {@code --log-file} lines: start time (µs since the epoch), status code, and µs until the response
     * ended, tab-separated. Only 2xx answers count.
     */
    static List<Double> parseLog(List<String> lines) {
        List<Double> millis = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.trim().split("\t");
            if (fields.length >= 3 && fields[1].startsWith("2")) {
                millis.add(Long.parseLong(fields[2]) / 1000.0);
            }
        }
        return millis;
    }
}
