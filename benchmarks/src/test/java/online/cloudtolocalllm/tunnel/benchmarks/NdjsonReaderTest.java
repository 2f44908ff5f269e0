package online.cloudtolocalllm.tunnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NdjsonReaderTest {
    private final AtomicLong clock = new AtomicLong(1_000);

    private ByteArrayInputStream response(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void chunkedTokensAreTimedWhenTheirLineEndsEvenAcrossChunks() throws IOException {
        String first = HttpBackend.token(0, 400);
        String second = HttpBackend.token(1, 900);
        String body = Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"
                + "5\r\n" + second.substring(0, 5) + "\r\n"
                + Integer.toHexString(second.length() - 5) + ";ext=1\r\n" + second.substring(5) + "\r\n"
                + "0\r\n\r\n";
        var delays = NdjsonReader.readResponse(response("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + body), clock::get, "/ndjson");
        assertThat(delays).containsExactly(600L, 100L);
    }

    @Test
    void bodyEndedByTheConnectionAlsoWorks() throws IOException {
        var delays = NdjsonReader.readResponse(response("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
                + HttpBackend.token(0, 250)), clock::get, "/ndjson");
        assertThat(delays).containsExactly(750L);
    }

    @Test
    void refusesAnErrorStatus() {
        assertThatThrownBy(() -> NdjsonReader.readResponse(response("HTTP/1.1 502 Bad Gateway\r\n\r\n"), clock::get, "/x"))
                .isInstanceOf(IOException.class).hasMessageContaining("502");
    }
}
