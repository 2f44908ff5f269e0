package online.cloudtolocalllm.tunnel.failover;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Whether an endpoint is fit to take the tunnel; never fails, answers false instead. */
@FunctionalInterface
public interface HealthCheck {

    CompletableFuture<Boolean> check(Endpoint endpoint);

    /** {@code GET /healthz} answered 200 within {@code timeout} (a draining server closes its port or answers 503). */
    static HealthCheck http(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        return endpoint -> client.sendAsync(HttpRequest.newBuilder(endpoint.healthUri()).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> failure == null && response.statusCode() == 200);
    }
}
