package online.cloudtolocalllm.tunnel.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Endpoint specs as the CLI and config file give them: {@code URL#weight=N&priority=N}. */
class EndpointTest {

    @Test
    void aPlainUrlTakesTheDefaultPriorityAndWeightOne() {
        assertThat(Endpoint.parse("ws://a:8080", 2)).isEqualTo(new Endpoint(URI.create("ws://a:8080"), 2, 1));
    }

    @Test
    void weightAndPriorityComeFromTheFragmentInAnyOrder() {
        assertThat(Endpoint.parse("ws://a:8080/tunnel#weight=3", 1)).isEqualTo(new Endpoint(URI.create("ws://a:8080/tunnel"), 1, 3));
        assertThat(Endpoint.parse("ws://a:8080#priority=0&weight=5", 4)).isEqualTo(new Endpoint(URI.create("ws://a:8080"), 0, 5));
        assertThat(Endpoint.parse("wss://b#weight=2&priority=7", 0)).isEqualTo(new Endpoint(URI.create("wss://b"), 7, 2));
    }

    @Test
    void badSpecsSayWhatIsWrong() {
        assertThatThrownBy(() -> Endpoint.parse("ws://a#weight=0", 0)).hasMessageContaining("weight must be at least 1");
        assertThatThrownBy(() -> Endpoint.parse("ws://a#speed=3", 0)).hasMessageContaining("Unknown endpoint setting 'speed'");
        assertThatThrownBy(() -> Endpoint.parse("ws://a#weight=x", 0)).hasMessageContaining("Not a number: 'x'");
        assertThatThrownBy(() -> Endpoint.parse("ws://a#weight", 0)).hasMessageContaining("Expected weight=N or priority=N");
        assertThatThrownBy(() -> Endpoint.parse("ws://a#priority=-1", 0)).hasMessageContaining("priority must be 0 or more");
        assertThatThrownBy(() -> Endpoint.parse("a:8080", 0)).hasMessageContaining("needs a scheme and a host");
    }

    @Test
    void theHealthEndpointIsHealthzOnTheSameHostOverHttp() {
        assertThat(Endpoint.parse("ws://a:8080/tunnel", 0).healthUri()).isEqualTo(URI.create("http://a:8080/healthz"));
        assertThat(Endpoint.parse("wss://a.example.com/tunnel", 0).healthUri()).isEqualTo(URI.create("https://a.example.com/healthz"));
    }
}
