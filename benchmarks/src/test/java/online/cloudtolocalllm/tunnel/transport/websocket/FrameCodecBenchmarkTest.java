package online.cloudtolocalllm.tunnel.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The frames the benchmark builds are the frames a peer's decoder reads back: it measures working encoding. */
class FrameCodecBenchmarkTest {
    @Test
    void theServersGatheredFrameCarriesEveryPacket() {
        FrameCodecBenchmark benchmark = benchmark(1024);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < FrameCodecBenchmark.GATHERED; i++) {
            expected.writeBytes(payload(1024));
        }

        assertThat(decoded(benchmark.serverFrame(FrameCodecBenchmark.GATHERED), false)).isEqualTo(expected.toByteArray());
        assertThat(benchmark.gatherFourServer()).isEqualTo(2 + 2 + FrameCodecBenchmark.GATHERED * 1024);
    }

    @Test
    void theClientsFrameIsMaskedAndUnmasksToThePayload() {
        FrameCodecBenchmark benchmark = benchmark(32768);

        assertThat(decoded(benchmark.clientFrame(), true)).isEqualTo(payload(32768));
        assertThat(benchmark.decodeMasked()).isEqualTo(payload(32768)[0]);
        benchmark.tearDown();
    }

    private static FrameCodecBenchmark benchmark(int size) {
        FrameCodecBenchmark benchmark = new FrameCodecBenchmark();
        benchmark.size = size;
        benchmark.setUp();
        return benchmark;
    }

    /** The payload the benchmark's set-up makes for {@code size}. */
    private static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        new Random(1).nextBytes(bytes);
        return bytes;
    }

    private static byte[] decoded(ByteBuf frame, boolean masked) {
        EmbeddedChannel peer = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(masked).maxFramePayloadLength(1 << 20).build()));
        try {
            peer.writeInbound(frame);
            BinaryWebSocketFrame decoded = peer.readInbound();
            try {
                return ByteBufUtil.getBytes(decoded.content());
            } finally {
                decoded.release();
            }
        } finally {
            peer.finishAndReleaseAll();
        }
    }
}
