package online.cloudtolocalllm.tunnel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import online.cloudtolocalllm.tunnel.api.Components;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.HostKeyPolicy;
import online.cloudtolocalllm.tunnel.api.TunnelClientConfig;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.junit.jupiter.api.Test;

/** Provider selection never surprises, and upgrade requests expose their token the two ways clients send it. */
class ProvidersTest {

    @Test
    void anInstanceGivenToTheBuilderWins() {
        FakeTransport given = new FakeTransport();
        Components components = TunnelClientConfig.builder().server("ws://h").token("t")
                .hostKeys(HostKeyPolicy.pinned("SHA256:abcdefghijklmnopqrstuvwxyz"))
                .component(TransportProvider.class, given).build().components();
        assertThat(Providers.select(TransportProvider.class, components, "other", p -> false, "x")).isSameAs(given);
    }

    @Test
    void noProviderOnThePathNamesTheArtifactToAdd() {
        assertThatThrownBy(() -> Providers.select(TransportProvider.class, Components.none(), null, p -> true, "some:artifact"))
                .isInstanceOf(TunnelException.class)
                .hasMessageContaining("add the artifact some:artifact")
                .extracting(e -> ((TunnelException) e).code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR);
    }

    @Test
    void aConfiguredIdThatIsMissingIsAnErrorNotAFallback() {
        assertThatThrownBy(() -> Providers.select(TransportProvider.class, Components.none(), "quic", p -> true, "x"))
                .hasMessageContaining("'quic' is not on the path");
    }

    @Test
    void bearerTokenComesFromTheHeaderBeforeTheQuery() {
        UpgradeRequest both = new UpgradeRequest("/ssh", Map.of("token", List.of("from-query")),
                Map.of("authorization", List.of("Bearer from-header")), InetSocketAddress.createUnresolved("h", 1));
        assertThat(both.bearerToken()).hasValue("from-header");
        UpgradeRequest query = new UpgradeRequest("/ssh", Map.of("token", List.of("q"), "userId", List.of("u")),
                Map.of(), InetSocketAddress.createUnresolved("h", 1));
        assertThat(query.bearerToken()).hasValue("q");
        assertThat(query.queryParameter("userId")).hasValue("u");
        assertThat(query.header("Missing")).isEmpty();
    }

    /** A transport that never connects. */
    private static final class FakeTransport implements TransportProvider {
        @Override
        public String id() {
            return "fake";
        }

        @Override
        public boolean supports(URI uri) {
            return true;
        }

        @Override
        public ClientTransport create(TransportConfig config) {
            return new ClientTransport() {
                @Override
                public CompletableFuture<FrameConnection> connect(URI uri, Map<String, String> headers) {
                    return CompletableFuture.failedFuture(new IllegalStateException("fake"));
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
