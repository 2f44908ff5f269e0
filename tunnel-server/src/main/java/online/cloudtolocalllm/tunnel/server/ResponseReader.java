package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;

/**
 * Follows the service's HTTP/1.1 responses through the bytes the tunnel delivers, without decoding them into
 * objects: it finds where each head ends and keeps its end-to-end headers (not those of
 * {@link IngressExchange#HOP_BY_HOP}) for the caller ({@link ResponseHead}), then hands the body on as it came, in
 * the pieces it came in, knowing where it ends: after its length, after its last chunk and trailers, or with the
 * stream. Interim (1xx) responses are dropped. A response it cannot follow is a
 * {@link ErrorCode#BAD_SERVICE_RESPONSE}. Used on one event loop.
 */
final class ResponseReader {
    /** The longest head the service may send, status line included. */
    static final int MAX_HEAD = 24 * 1024;
    /** The longest chunk-size or trailer line. */
    static final int MAX_LINE = 8 * 1024;
    /** How much of the service's bytes is copied at a time while looking for the end of a head. */
    private static final int HEAD_STEP = 512;
    private static final AsciiString CONNECTION = AsciiString.cached("connection");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
    private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");
    private static final AsciiString CHUNKED = AsciiString.cached("chunked");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    /** CR LF, for {@link ByteBuf#writeShort}. */
    static final short CRLF = ('\r' << 8) | '\n';
    private static final byte[] HTTP_1_1 = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    /**
     * Where a head is gathered while it all arrives in one piece, as most do: one array a thread, which stays in the
     * core's cache, where one a reader was a cold copy per response. It is free again before the listener is called.
     */
    private static final FastThreadLocal<byte[]> GATHERED = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[HEAD_STEP];
        }
    };
    private static final byte[] NONE = new byte[0];

    /** Where the reader puts what it finds; each call owns what it is given. */
    interface Listener {
        /** The head of the final response. */
        void head(ResponseHead head);

        /** The next bytes of its body, framing (chunks, trailers) included. */
        void body(ByteBuf piece);

        /** The response is complete. */
        void end();
    }

    private enum State { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, UNTIL_CLOSE, DONE }

    private final ByteBufAllocator alloc;
    private State state = State.DONE;
    private boolean headRequest;
    /** The start of a head that did not end in the piece it started in, {@code headLength} bytes of it. */
    private byte[] headBytes = NONE;
    private int headLength;
    private long remaining;
    private int lineLength;
    private boolean lineHasContent;
    private boolean sizeEnded;
    private boolean extraBytes;

    ResponseReader(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** Expects the response to a new request; one to a HEAD request has no body whatever its head says. */
    void expect(boolean headRequest) {
        headLength = 0;
        headBytes = NONE;
        this.headRequest = headRequest;
        state = State.HEAD;
    }

    /** Whether the last response ended where it should, and nothing came after it. */
    boolean clean() {
        return state == State.DONE && !extraBytes;
    }

    /**
     * Reads {@code in} (and releases it), telling {@code listener} what it holds.
     *
     * @throws TunnelException {@link ErrorCode#BAD_SERVICE_RESPONSE} if the bytes are not an HTTP/1.1 response
     */
    void read(ByteBuf in, Listener listener) {
        try {
            while (in.isReadable()) {
                switch (state) {
                    case HEAD -> readHead(in, listener);
                    case DONE -> {
                        extraBytes = true;
                        in.skipBytes(in.readableBytes());
                    }
                    default -> readBody(in, listener);
                }
            }
        } catch (TunnelException malformed) {
            state = State.DONE;
            extraBytes = true;
            throw malformed;
        } finally {
            in.release();
        }
    }

    /** The stream ended: that ends a body that runs until then. */
    void endOfInput(Listener listener) {
        if (state == State.UNTIL_CLOSE) {
            state = State.DONE;
            listener.end();
        }
    }

    // ---- the head

    /**
     * Copies the head a step at a time until its blank line, then parses it: in {@link #GATHERED} while it all comes in
     * this piece, and in {@link #headBytes} for the next piece if it does not.
     */
    private void readHead(ByteBuf in, Listener listener) {
        boolean continued = headLength > 0;
        byte[] bytes = continued ? headBytes : GATHERED.get();
        int from = in.readerIndex();
        while (from < in.writerIndex()) {
            int take = Math.min(Math.min(in.writerIndex() - from, HEAD_STEP), MAX_HEAD + 1 - headLength);
            if (take == 0) {
                break;
            }
            if (headLength + take > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, headLength + take));
                if (!continued) {
                    GATHERED.set(bytes);
                }
            }
            in.getBytes(from, bytes, headLength, take);
            int scanFrom = headLength;
            headLength += take;
            from += take;
            int end = headEnd(bytes, scanFrom, headLength);
            if (end >= 0) {
                in.readerIndex(from - (headLength - end));
                headLength = 0;
                headBytes = NONE;
                started(parseHead(bytes, end), in, listener);
                return;
            }
        }
        if (headLength > MAX_HEAD) {
            throw malformed("its head is longer than " + MAX_HEAD + " bytes");
        }
        headBytes = continued ? bytes : Arrays.copyOf(bytes, Math.max(HEAD_STEP, headLength));
        in.readerIndex(from);
    }

    /** Hands a final head on and reads on as its framing says; an interim one is dropped. */
    private void started(ResponseHead head, ByteBuf in, Listener listener) {
        if (head.status() < 200) {
            head.release();
            return;
        }
        listener.head(head);
        if (state == State.DONE) {
            ended(in, listener);
        }
    }

    /** The index just past the blank line that ends a head, looking for its last LF in {@code bytes[from, to)}. */
    private static int headEnd(byte[] bytes, int from, int to) {
        for (int i = Math.max(from, 1); i < to; i++) {
            if (bytes[i] == '\n' && (bytes[i - 1] == '\n' || (i >= 2 && bytes[i - 1] == '\r' && bytes[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return -1;
    }

    /** Parses the head in {@code bytes[0, end)}, sets the body's state, and returns the head to send on. */
    private ResponseHead parseHead(byte[] bytes, int end) {
        int lf = indexOf(bytes, 0, end, '\n');
        int lineEnd = contentEnd(bytes, 0, lf);
        if (!isStatusLine(bytes, lineEnd)) {
            throw malformed("it does not start with an HTTP/1.x status line");
        }
        int status = (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + bytes[11] - '0';
        boolean http11 = bytes[7] == '1';
        ByteBuf kept = alloc.buffer(end + 64);
        try {
            kept.writeBytes(HTTP_1_1).writeBytes(bytes, 8, lineEnd - 8).writeShort(CRLF);
            long contentLength = -1;
            boolean chunked = false;
            boolean transferEncoded = false;
            boolean close = !http11;
            for (int lineStart = lf + 1; (lf = indexOf(bytes, lineStart, end, '\n')) >= 0; lineStart = lf + 1) {
                lineEnd = contentEnd(bytes, lineStart, lf);
                if (lineEnd == lineStart) {
                    break;
                }
                int colon = indexOf(bytes, lineStart, lineEnd, ':');
                if (colon <= lineStart || isSpace(bytes[lineStart]) || isSpace(bytes[colon - 1])) {
                    throw malformed("it has a malformed header line");
                }
                int nameLength = colon - lineStart;
                int valueStart = skipSpaces(bytes, colon + 1, lineEnd);
                int valueEnd = trimSpaces(bytes, valueStart, lineEnd);
                if (named(bytes, lineStart, nameLength, CONTENT_LENGTH)) {
                    long length = contentLength(bytes, valueStart, valueEnd);
                    if (contentLength >= 0 && contentLength != length) {
                        throw malformed("it has two different Content-Length headers");
                    }
                    contentLength = length;
                } else if (named(bytes, lineStart, nameLength, TRANSFER_ENCODING)) {
                    transferEncoded = true;
                    chunked = endsWithChunked(bytes, valueStart, valueEnd);
                } else if (named(bytes, lineStart, nameLength, CONNECTION)) {
                    close = connectionSaysClose(bytes, valueStart, valueEnd, close);
                }
                if (!isHopByHop(bytes, lineStart, nameLength)) {
                    kept.writeBytes(bytes, lineStart, lineEnd - lineStart).writeShort(CRLF);
                }
            }
            boolean untilClose = status >= 200 && !bodyless(status) && !chunked && (transferEncoded || contentLength < 0);
            if (status >= 200) {
                frame(status, chunked, contentLength, untilClose);
            }
            return new ResponseHead(status, !untilClose, !close && !untilClose, kept);
        } catch (RuntimeException e) {
            kept.release();
            throw e;
        }
    }

    private boolean bodyless(int status) {
        return headRequest || status == 204 || status == 304;
    }

    private void frame(int status, boolean chunked, long contentLength, boolean untilClose) {
        lineLength = 0;
        lineHasContent = false;
        sizeEnded = false;
        remaining = 0;
        if (bodyless(status)) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (untilClose) {
            state = State.UNTIL_CLOSE;
        } else {
            remaining = contentLength;
            state = contentLength == 0 ? State.DONE : State.LENGTH;
        }
    }

    private static int indexOf(byte[] bytes, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int contentEnd(byte[] bytes, int lineStart, int lf) {
        return lf > lineStart && bytes[lf - 1] == '\r' ? lf - 1 : lf;
    }

    private static boolean isStatusLine(byte[] bytes, int lineEnd) {
        if (lineEnd < 12 || (lineEnd > 12 && bytes[12] != ' ')) {
            return false;
        }
        for (int i = 0; i < 7; i++) {
            if (bytes[i] != HTTP_1_1[i]) {
                return false;
            }
        }
        return (bytes[7] == '0' || bytes[7] == '1') && bytes[8] == ' ' && isDigit(bytes[9]) && isDigit(bytes[10])
                && isDigit(bytes[11]);
    }

    private static long contentLength(byte[] bytes, int from, int to) {
        if (from == to || to - from > 18) {
            throw malformed("its Content-Length is not a length");
        }
        long length = 0;
        for (int i = from; i < to; i++) {
            if (!isDigit(bytes[i])) {
                throw malformed("its Content-Length is not a length");
            }
            length = length * 10 + (bytes[i] - '0');
        }
        return length;
    }

    /** Whether the last transfer coding in {@code bytes[from, to)} is chunked. */
    private static boolean endsWithChunked(byte[] bytes, int from, int to) {
        int comma = to - 1;
        while (comma >= from && bytes[comma] != ',') {
            comma--;
        }
        int tokenStart = skipSpaces(bytes, comma + 1, to);
        return named(bytes, tokenStart, to - tokenStart, CHUNKED);
    }

    /** {@code close}, unless the Connection tokens in {@code bytes[from, to)} say close or keep-alive. */
    private static boolean connectionSaysClose(byte[] bytes, int from, int to, boolean close) {
        for (int start = from; start < to; ) {
            int comma = indexOf(bytes, start, to, ',');
            int tokenEnd = comma < 0 ? to : comma;
            int tokenStart = skipSpaces(bytes, start, tokenEnd);
            int length = trimSpaces(bytes, tokenStart, tokenEnd) - tokenStart;
            if (named(bytes, tokenStart, length, CLOSE)) {
                return true;
            }
            if (named(bytes, tokenStart, length, KEEP_ALIVE)) {
                close = false;
            }
            start = tokenEnd + 1;
        }
        return close;
    }

    private static boolean isHopByHop(byte[] bytes, int start, int length) {
        for (AsciiString name : IngressExchange.HOP_BY_HOP) {
            if (named(bytes, start, length, name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code bytes[start, start + length)} is {@code lowerCaseName}, ignoring ASCII case. */
    private static boolean named(byte[] bytes, int start, int length, AsciiString lowerCaseName) {
        if (length != lowerCaseName.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            byte b = bytes[start + i];
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lowerCaseName.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpaces(byte[] bytes, int from, int to) {
        while (from < to && isSpace(bytes[from])) {
            from++;
        }
        return from;
    }

    private static int trimSpaces(byte[] bytes, int from, int to) {
        while (to > from && isSpace(bytes[to - 1])) {
            to--;
        }
        return to;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    // ---- the body

    private void readBody(ByteBuf in, Listener listener) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int pos = start;
        while (pos < end && state != State.DONE) {
            pos = switch (state) {
                case LENGTH, CHUNK_DATA -> data(pos, end);
                case CHUNK_SIZE -> chunkSize(in, pos, end);
                case CHUNK_DATA_END -> chunkDataEnd(in, pos);
                case TRAILERS -> trailers(in, pos, end);
                default -> end;
            };
        }
        if (pos > start) {
            listener.body(in.retainedSlice(start, pos - start));
        }
        in.readerIndex(pos);
        if (state == State.DONE) {
            ended(in, listener);
        }
    }

    private int data(int pos, int end) {
        int taken = (int) Math.min(remaining, end - pos);
        remaining -= taken;
        if (remaining == 0) {
            state = state == State.LENGTH ? State.DONE : State.CHUNK_DATA_END;
        }
        return pos + taken;
    }

    private int chunkSize(ByteBuf in, int pos, int end) {
        while (pos < end) {
            byte b = in.getByte(pos++);
            if (b == '\n') {
                if (!lineHasContent) {
                    throw malformed("a chunk has no size");
                }
                state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                newLine();
                return pos;
            }
            countLine();
            int digit = sizeEnded ? -1 : Character.digit(b, 16);
            if (digit >= 0) {
                if (remaining > Long.MAX_VALUE >> 4) {
                    throw malformed("a chunk is too large");
                }
                remaining = remaining << 4 | digit;
                lineHasContent = true;
            } else {
                sizeEnded = true; // an extension, spaces or the CR
            }
        }
        return pos;
    }

    private int chunkDataEnd(ByteBuf in, int pos) {
        byte b = in.getByte(pos);
        if (b == '\n') {
            state = State.CHUNK_SIZE;
            newLine();
        } else if (b == '\r' && lineLength == 0) {
            lineLength = 1;
        } else {
            throw malformed("a chunk's data is not followed by CRLF");
        }
        return pos + 1;
    }

    private int trailers(ByteBuf in, int pos, int end) {
        while (pos < end) {
            byte b = in.getByte(pos++);
            if (b == '\n') {
                if (!lineHasContent) {
                    state = State.DONE;
                    return pos;
                }
                newLine();
            } else {
                countLine();
                lineHasContent |= b != '\r';
            }
        }
        return pos;
    }

    private void countLine() {
        if (++lineLength > MAX_LINE) {
            throw malformed("a chunk-size or trailer line is longer than " + MAX_LINE + " bytes");
        }
    }

    private void newLine() {
        lineLength = 0;
        lineHasContent = false;
        sizeEnded = false;
    }

    /** The response ended; whatever follows it in {@code in} was not asked for. */
    private void ended(ByteBuf in, Listener listener) {
        if (in.isReadable()) {
            extraBytes = true;
            in.skipBytes(in.readableBytes());
        }
        listener.end();
    }

    private static TunnelException malformed(String why) {
        return new TunnelException(ErrorCode.BAD_SERVICE_RESPONSE, "The service's response cannot be relayed: " + why);
    }
}
