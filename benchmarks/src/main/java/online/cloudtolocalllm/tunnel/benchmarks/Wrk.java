package online.cloudtolocalllm.tunnel.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk on the load core and reads its summary. */
final class Wrk {
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private Wrk() {
    }

    /**
     * What one wrk run reported.
     *
     * @param requestsPerSecond completed requests per second
     * @param requests completed requests
     * @param errors non-2xx answers plus connect, read, write and timeout errors
     */
    record Result(double requestsPerSecond, long requests, long errors) {
    }

    static Result run(String url, int connections, int seconds, List<String> headers) {
        List<String> command = new ArrayList<>(List.of("taskset", "-c", Integer.toString(Pinning.LOAD_CORE), "wrk", "-t1",
                "-c" + connections, "-d" + seconds + "s", "--timeout", "5s"));
        headers.forEach(header -> command.addAll(List.of("-H", header)));
        command.add(url);
        return parse(Proc.run(command));
    }

    static Result parse(String output) {
        Matcher rate = RATE.matcher(output);
        Matcher total = TOTAL.matcher(output);
        if (!rate.find() || !total.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + output);
        }
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        return new Result(Double.parseDouble(rate.group(1)), Long.parseLong(total.group(1)), errors);
    }
}
