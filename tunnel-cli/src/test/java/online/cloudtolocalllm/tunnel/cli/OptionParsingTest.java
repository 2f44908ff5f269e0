package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class OptionParsingTest {
    private final DurationConverter durations = new DurationConverter();

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "5s, PT5S", "30m, PT30M", "1h, PT1H", "2d, PT48H", "PT15S, PT15S", "10S, PT10S"})
    void durationsTakeAUnit(String text, Duration expected) {
        assertThat(durations.convert(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5x", "-1s", "", "s", "99999999999s"})
    void durationsWithoutAKnownUnitAreRefused(String text) {
        assertThatThrownBy(() -> durations.convert(text)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("500ms, 5s, 30m, 1h or 2d");
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:8080, 127.0.0.1, 8080", "[::1]:0, 0:0:0:0:0:0:0:1, 0", "localhost:443, localhost, 443"})
    void addressesAreHostColonPort(String text, String host, int port) {
        InetSocketAddress address = HostPort.parse(text);

        assertThat(address.getHostString()).isEqualTo(host);
        assertThat(address.getPort()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8080", ":8080", "host:", "host:http", "host:65536"})
    void malformedAddressesAreRefused(String text) {
        assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(text);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, 80, 127.0.0.1:80", "::1, 8080, [::1]:8080"})
    void addressesAreWrittenBackTheSameWay(String host, int port, String expected) {
        assertThat(HostPort.format(InetSocketAddress.createUnresolved(host, port))).isEqualTo(expected);
    }
}
