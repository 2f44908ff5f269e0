package online.cloudtolocalllm.tunnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The bulk service both ways over loopback: what the scenario checks is what went through. */
class BulkServiceTest {
    private static final long THREE_BLOCKS = 3L * BulkService.BLOCK.length;

    @Test
    void anUploadIsAnsweredWithTheDigestOfWhatArrived() throws IOException {
        try (BulkService service = BulkService.start()) {
            assertThat(BulkService.upload(service.port(), THREE_BLOCKS)).isEqualTo(BulkService.digestOf(THREE_BLOCKS));
        }
    }

    @Test
    void aDownloadSendsExactlyTheBlocksAskedFor() throws IOException {
        try (BulkService service = BulkService.start()) {
            assertThat(BulkService.download(service.port(), THREE_BLOCKS)).isEqualTo(BulkService.digestOf(THREE_BLOCKS));
            assertThat(BulkService.download(service.port(), 0)).isEqualTo(BulkService.digestOf(0));
        }
    }

    @Test
    void aDownloadSendsTheScenariosPatternAndItsLengthCounts() throws IOException {
        assertThat(BulkService.digestOf(THREE_BLOCKS)).isNotEqualTo(BulkService.digestOf(2L * BulkService.BLOCK.length));
        try (BulkService service = BulkService.start();
                Socket raw = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
            DataOutputStream out = new DataOutputStream(raw.getOutputStream());
            out.write(BulkService.DOWNLOAD);
            out.writeLong(THREE_BLOCKS);
            out.flush();
            byte[] first = raw.getInputStream().readNBytes(BulkService.BLOCK.length);
            assertThat(first).as("the blocks are the scenario's pattern").isEqualTo(BulkService.BLOCK);
        }
    }
}
