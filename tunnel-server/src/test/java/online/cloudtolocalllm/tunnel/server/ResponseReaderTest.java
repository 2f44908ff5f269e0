package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.junit.jupiter.api.Test;

/**
 * The service's responses as the reader follows them, each fed whole and split at every byte: the head the caller
 * gets, the body passed on unchanged, and the end found exactly once, wherever the pieces break.
 */
class ResponseReaderTest {
    private static final String CHUNKED_BODY = "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n";

    @Test
    void aBodyFramedByItsLengthEndsAfterItAndTheHeadLosesOnlyTheConnectionsHeaders() {
        for (Recorder heard : everySplit(false, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: keep-alive\r\n"
                + "Keep-Alive: timeout=5\r\nX-Kept:  yes \r\nproxy-connection: x\r\n\r\nhello world")) {
            assertThat(heard.head).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX-Kept:  yes \r\n"
                    + "connection: keep-alive\r\n\r\n");
            assertThat(heard.body()).isEqualTo("hello world");
            assertThat(heard.ends).isEqualTo(1);
            assertThat(heard.framed).isTrue();
            assertThat(heard.keepAlive).isTrue();
            assertThat(heard.reader.clean()).isTrue();
        }
    }

    @Test
    void aHeadLongerThanWhatIsCopiedAtATimeIsFoundWhereverItBreaks() {
        String cookie = "Set-Cookie: " + "c".repeat(1500) + "\r\n";
        for (Recorder heard : everySplit(false, "HTTP/1.1 200 OK\r\n" + cookie + "Content-Length: 2\r\n\r\nok")) {
            assertThat(heard.head).isEqualTo("HTTP/1.1 200 OK\r\n" + cookie + "Content-Length: 2\r\n"
                    + "connection: keep-alive\r\n\r\n");
            assertThat(heard.body()).isEqualTo("ok");
            assertThat(heard.reader.clean()).isTrue();
        }
    }

    @Test
    void aChunkedBodyPassesAsItCameExtensionsAndTrailersIncluded() {
        for (Recorder heard : everySplit(false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
                + CHUNKED_BODY)) {
            assertThat(heard.body()).isEqualTo(CHUNKED_BODY);
            assertThat(heard.ends).isEqualTo(1);
            assertThat(heard.reader.clean()).isTrue();
        }
    }

    @Test
    void interimResponsesAreDroppedAndTheFinalOneFollows() {
        for (Recorder heard : everySplit(false, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")) {
            assertThat(heard.heads).isEqualTo(1);
            assertThat(heard.head).startsWith("HTTP/1.1 201 Created\r\n").doesNotContain("Link");
            assertThat(heard.body()).isEqualTo("ok");
        }
    }

    @Test
    void headNoContentAndNotModifiedHaveNoBodyWhateverTheirHeadsSay() {
        assertThat(readWhole(true, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n").ends).isEqualTo(1);
        assertThat(readWhole(false, "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n").ends).isEqualTo(1);
        Recorder notModified = readWhole(false, "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n");
        assertThat(notModified.ends).isEqualTo(1);
        assertThat(notModified.reader.clean()).isTrue();
    }

    @Test
    void aBodyWithoutLengthOrChunksEndsWithTheStreamAndTheConnectionIsNotKept() {
        Recorder heard = readWhole(false, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
        assertThat(heard.ends).isZero();
        assertThat(heard.framed).isFalse();
        assertThat(heard.keepAlive).isFalse();

        heard.reader.endOfInput(heard);
        assertThat(heard.ends).isEqualTo(1);
        assertThat(heard.body()).isEqualTo("until the end");
        assertThat(heard.head).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nconnection: keep-alive\r\n\r\n");
    }

    @Test
    void http10KeepsItsConnectionOnlyWhenItSaysSoAndCloseEndsAnyConnection() {
        assertThat(readWhole(false, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive).isFalse();
        assertThat(readWhole(false, "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").keepAlive)
                .isTrue();
        assertThat(readWhole(false, "HTTP/1.1 200 OK\r\nConnection: foo, close\r\nContent-Length: 0\r\n\r\n").keepAlive)
                .isFalse();
    }

    @Test
    void bareLineFeedsEndLinesToo() {
        Recorder heard = readWhole(false, "HTTP/1.1 200 OK\nContent-Length: 2\nX-A: b\n\nok");
        assertThat(heard.head).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\nconnection: keep-alive\r\n\r\n");
        assertThat(heard.body()).isEqualTo("ok");
    }

    @Test
    void bytesAfterTheResponseMakeTheConnectionUnfitForAnother() {
        Recorder heard = readWhole(false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n");
        assertThat(heard.body()).isEqualTo("ok");
        assertThat(heard.ends).isEqualTo(1);
        assertThat(heard.reader.clean()).isFalse();
    }

    @Test
    void whatIsNotAnHttpResponseIsRefusedAndLeavesTheConnectionUnfit() {
        assertMalformed("SSH-2.0-OpenSSH_9.2\r\n\r\n", "status line");
        assertMalformed("HTTP/2 200\r\n\r\n", "status line");
        assertMalformed("HTTP/1.1 2000 OK\r\n\r\n", "status line");
        assertMalformed("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", "header line");
        assertMalformed("HTTP/1.1 200 OK\r\nX-A: b\r\n folded\r\n\r\n", "header line");
        assertMalformed("HTTP/1.1 200 OK\r\nX-A : b\r\n\r\n", "header line");
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", "two different");
        assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "not a length");
        assertMalformed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "no size");
        assertMalformed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX", "not followed by CRLF");
        assertMalformed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + "f".repeat(17) + "\r\n", "too large");
        assertMalformed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + "x".repeat(ResponseReader.MAX_LINE),
                "longer than");
        assertMalformed("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(ResponseReader.MAX_HEAD), "longer than");
    }

    @Test
    void aHeadTooLongIsRefusedEvenWhenItArrivesInPieces() {
        Recorder heard = new Recorder();
        heard.reader.expect(false);
        heard.reader.read(ascii("HTTP/1.1 200 OK\r\n"), heard);
        ByteBuf piece = ascii("X-Big: " + "x".repeat(ResponseReader.MAX_HEAD / 2));
        heard.reader.read(piece.retainedDuplicate(), heard);
        assertThatThrownBy(() -> heard.reader.read(piece, heard)).hasMessageContaining("longer than");
        assertThat(heard.reader.clean()).isFalse();
    }

    @Test
    void aReaderExpectingAnotherResponseStartsAfresh() {
        Recorder heard = readWhole(false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        heard.reader.expect(false);
        assertThat(heard.reader.clean()).isFalse();
        heard.reader.read(ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnone"), heard);
        assertThat(heard.ends).isEqualTo(2);
        assertThat(heard.head).startsWith("HTTP/1.1 404 Not Found");
        assertThat(heard.reader.clean()).isTrue();
    }

    @Test
    void readersOnOneThreadKeepTheirOwnUnfinishedHeads() {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        first.reader.expect(false);
        second.reader.expect(false);
        String longHeader = "X-Long: " + "a".repeat(700) + "\r\n";
        first.reader.read(ascii("HTTP/1.1 200 OK\r\n" + longHeader), first);
        second.reader.read(ascii("HTTP/1.1 404 Not Found\r\nX-Other: " + "b".repeat(900)
                + "\r\nContent-Length: 4\r\n\r\nnone"), second);
        first.reader.read(ascii("Content-Length: 2\r\n\r\nok"), first);

        assertThat(first.head).isEqualTo("HTTP/1.1 200 OK\r\n" + longHeader
                + "Content-Length: 2\r\nconnection: keep-alive\r\n\r\n");
        assertThat(first.body()).isEqualTo("ok");
        assertThat(second.head).startsWith("HTTP/1.1 404 Not Found\r\nX-Other: bbb");
        assertThat(second.body()).isEqualTo("none");
        assertThat(first.reader.clean()).isTrue();
    }

    private static void assertMalformed(String response, String why) {
        Recorder heard = new Recorder();
        heard.reader.expect(false);
        assertThatThrownBy(() -> heard.reader.read(ascii(response), heard))
                .isInstanceOfSatisfying(TunnelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_SERVICE_RESPONSE))
                .hasMessageContaining(why);
        assertThat(heard.reader.clean()).isFalse();
    }

    /** The response read whole, then in two pieces split at every byte, then one byte at a time. */
    private static List<Recorder> everySplit(boolean headRequest, String response) {
        List<Recorder> all = new ArrayList<>(List.of(readWhole(headRequest, response)));
        byte[] bytes = response.getBytes(StandardCharsets.US_ASCII);
        for (int split = 1; split < bytes.length; split++) {
            all.add(read(headRequest, List.of(Arrays.copyOfRange(bytes, 0, split),
                    Arrays.copyOfRange(bytes, split, bytes.length))));
        }
        List<byte[]> single = new ArrayList<>();
        for (byte b : bytes) {
            single.add(new byte[] {b});
        }
        all.add(read(headRequest, single));
        return all;
    }

    private static Recorder readWhole(boolean headRequest, String response) {
        return read(headRequest, List.of(response.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Recorder read(boolean headRequest, List<byte[]> pieces) {
        Recorder heard = new Recorder();
        heard.reader.expect(headRequest);
        pieces.forEach(piece -> heard.reader.read(Unpooled.wrappedBuffer(piece), heard));
        return heard;
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    /** What the reader told, the head finished for a kept-alive caller. */
    private static final class Recorder implements ResponseReader.Listener {
        final ResponseReader reader = new ResponseReader(ByteBufAllocator.DEFAULT);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        String head = "";
        int heads;
        int ends;
        boolean framed;
        boolean keepAlive;

        @Override
        public void head(ResponseHead responseHead) {
            heads++;
            framed = responseHead.framed();
            keepAlive = responseHead.keepAlive();
            ByteBuf bytes = responseHead.finish(false, true);
            head = bytes.toString(StandardCharsets.US_ASCII);
            bytes.release();
        }

        @Override
        public void body(ByteBuf piece) {
            body.writeBytes(ByteBufUtil.getBytes(piece));
            piece.release();
        }

        @Override
        public void end() {
            ends++;
        }

        String body() {
            return body.toString(StandardCharsets.US_ASCII);
        }
    }
}
