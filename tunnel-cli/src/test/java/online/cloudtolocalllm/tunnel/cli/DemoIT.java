package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starts {@code java -jar tunnel.jar demo} and runs the curl command it prints with the real curl. */
class DemoIT {

    @Test
    void thePrintedCurlCommandStreamsTokensThroughTheTunnel() throws Exception {
        try (ChildProcess demo = ChildProcess.tunnelJar("demo")) {
            String curlLine = demo.awaitLine(line -> line.startsWith("curl "), Duration.ofSeconds(60)).text();
            assertThat(curlLine).contains("-N", "Authorization: Bearer ", "/t/demo/llm/api/generate");

            List<ChildProcess.Line> tokens;
            try (ChildProcess curl = ChildProcess.start(List.of("/bin/sh", "-c", curlLine))) {
                assertThat(curl.awaitExit(Duration.ofSeconds(30))).as(curl.stderr()).isZero();
                tokens = curl.lines();
            }

            assertThat(tokens).hasSize(DemoLlmService.ANSWER.size() + 1);
            assertThat(tokens.getFirst().text()).startsWith("{\"model\":\"demo\"").contains("\"response\":\"The \"", "\"done\":false");
            assertThat(tokens.getLast().text()).contains("\"done\":true");
            Duration firstToLast = Duration.ofNanos(tokens.getLast().nanos() - tokens.getFirst().nanos());
            assertThat(firstToLast).as("the first token arrives well before the last, not buffered")
                    .isGreaterThan(Duration.ofMillis(1500));

            demo.process().destroy();
            assertThat(demo.awaitExit(Duration.ofSeconds(30))).as("ended by SIGTERM").isEqualTo(143);
            assertThat(demo.stderr()).contains("CONNECTED", "SERVICE_REGISTERED").doesNotContain("Exception");
        }
    }
}
