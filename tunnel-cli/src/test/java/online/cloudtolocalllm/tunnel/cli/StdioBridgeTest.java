package online.cloudtolocalllm.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import online.cloudtolocalllm.tunnel.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StdioBridgeTest {
    private final RecordingFrameConnection connection = new RecordingFrameConnection();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final StringWriter stderr = new StringWriter();
    private PipedOutputStream stdinWriter;
    private CompletableFuture<Integer> exit;

    @BeforeEach
    void startBridge() throws IOException {
        stdinWriter = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(stdinWriter, 256 * 1024);
        StdioBridge bridge = new StdioBridge(stdin, stdout, new PrintWriter(stderr, true));
        exit = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("bridge").start(() -> {
            try {
                exit.complete(bridge.run(connection));
            } catch (InterruptedException e) {
                exit.completeExceptionally(e);
            }
        });
        Await.until(Duration.ofSeconds(5), "the bridge to start", () -> connection.handler != null);
    }

    @AfterEach
    void closeInput() throws IOException {
        stdinWriter.close();
    }

    @Test
    void sendsInputInFramesOfAtMost32KiBOneAtATime() throws Exception {
        byte[] input = new byte[100_000];
        new Random(7).nextBytes(input);
        stdinWriter.write(input);
        stdinWriter.flush();

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        while (received.size() < input.length) {
            CompletableFuture<Void> send = connection.pendingSends.poll(5, TimeUnit.SECONDS);
            assertThat(send).as("a frame after %d bytes", received.size()).isNotNull();
            assertThat(connection.pendingSends).as("no second send before the first is taken").isEmpty();
            byte[] frame = connection.sent.get(connection.sent.size() - 1);
            assertThat(frame.length).isBetween(1, StdioBridge.MAX_FRAME);
            received.write(frame);
            send.complete(null);
        }
        assertThat(received.toByteArray()).isEqualTo(input);
    }

    @Test
    void endOfInputClosesTheConnectionNormallyAndExitsZero() throws Exception {
        stdinWriter.close();

        assertThat(connection.closedWith.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.NORMAL);
        assertThat(exit.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(stderr.toString()).isEmpty();
    }

    @Test
    void writesEachReceivedFrameToTheOutput() throws Exception {
        connection.handler.onFrame(ByteBuffer.wrap("SSH-2.0-server\r\n".getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer direct = ByteBuffer.allocateDirect(40_000);
        while (direct.hasRemaining()) {
            direct.put((byte) 'x');
        }
        connection.handler.onFrame(direct.flip());

        assertThat(stdout.toString(StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-server\r\n" + "x".repeat(40_000));
        assertThat(exit).isNotDone();
    }

    @Test
    void normalClosureByTheServerExitsZero() throws Exception {
        connection.close(CloseCodes.NORMAL, "bye");

        assertThat(exit.get(5, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void abnormalClosureExitsNonZeroWithAMessageOnStderrOnly() throws Exception {
        connection.close(CloseCodes.ABNORMAL, "connection reset");

        assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(stderr.toString()).contains("1006", "connection reset");
        assertThat(stdout.size()).isZero();
    }
}
