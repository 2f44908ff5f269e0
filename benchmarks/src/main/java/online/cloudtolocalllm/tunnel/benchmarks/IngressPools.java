package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Issue 4's pool figure: the reuse rate our server's ingress pools report in {@code /healthz}. */
final class IngressPools {
    private static final Pattern REUSE_RATE = Pattern.compile("\"reuseRate\":([0-9.]+)");

    private IngressPools() {
    }

    /** The share of ingress requests served by a pooled connection rather than a new one, so far (0 to 1). */
    static double reuseRate(int ingressPort) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingressPort + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return parse(health);
        }
    }

    static double parse(String health) {
        Matcher rate = REUSE_RATE.matcher(health);
        if (!rate.find()) {
            throw new IllegalStateException("No reuseRate in /healthz: " + health);
        }
        return Double.parseDouble(rate.group(1));
    }
}
