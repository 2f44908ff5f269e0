package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.jspecify.annotations.Nullable;

/**
 * Follows the service's HTTP/1.1 responses through the bytes the tunnel delivers, without decoding them into
 * objects: it finds where each head ends and keeps its end-to-end headers (not those of
 * {@link IngressExchange#HOP_BY_HOP}) for the caller ({@link ResponseHead}), then
 * hands the body on as it came, in the pieces it came in, knowing where it ends: after its length, after its last
 * chunk and trailers, or with the stream. Interim (1xx) responses are dropped. A response it cannot follow is a
 * {@link ErrorCode#BAD_SERVICE_RESPONSE}. Used on one event loop.
 */
final class ResponseReader {
    /** The longest head the service may send, status line included. */
    static final int MAX_HEAD = 24 * 1024;
    /** The longest chunk-size or trailer line. */
    static final int MAX_LINE = 8 * 1024;
    private static final AsciiString CONNECTION = AsciiString.cached("connection");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
    private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");
    private static final AsciiString CHUNKED = AsciiString.cached("chunked");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final short CRLF = ('\r' << 8) | '\n';
    private static final byte[] HTTP_1_1 = "HTTP/1.1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

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
    private @Nullable ByteBuf partialHead;
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
        releasePartialHead();
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

    /** The stream ended: ends a body that runs until then. True if that completed the response. */
    boolean endOfInput(Listener listener) {
        releasePartialHead();
        if (state != State.UNTIL_CLOSE) {
            return state == State.DONE;
        }
        state = State.DONE;
        listener.end();
        return true;
    }

    void release() {
        releasePartialHead();
        state = State.DONE;
    }

    private void releasePartialHead() {
        if (partialHead != null) {
            partialHead.release();
            partialHead = null;
        }
    }

    // ---- the head

    private void readHead(ByteBuf in, Listener listener) {
        ByteBuf partial = partialHead;
        if (partial == null) {
            int end = headEnd(in, in.readerIndex(), in.writerIndex());
            if (end < 0) {
                checkHeadSize(in.readableBytes());
                partialHead = alloc.heapBuffer(Math.max(256, in.readableBytes() * 2)).writeBytes(in);
                return;
            }
            ResponseHead head = parseHead(in, in.readerIndex(), end);
            in.readerIndex(end);
            started(head, in, listener);
            return;
        }
        int before = partial.writerIndex();
        partial.writeBytes(in, in.readerIndex(), Math.min(in.readableBytes(), MAX_HEAD + 1 - before));
        int end = headEnd(partial, partial.readerIndex(), partial.writerIndex());
        if (end < 0) {
            checkHeadSize(partial.readableBytes());
            in.skipBytes(in.readableBytes());
            return;
        }
        ResponseHead head;
        try {
            head = parseHead(partial, partial.readerIndex(), end);
        } finally {
            releasePartialHead();
        }
        in.skipBytes(end - before);
        started(head, in, listener);
    }

    private static void checkHeadSize(int size) {
        if (size > MAX_HEAD) {
            throw malformed("its head is longer than " + MAX_HEAD + " bytes");
        }
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

    /** The index just past the blank line that ends a head in {@code buf[from, to)}, or -1. */
    private static int headEnd(ByteBuf buf, int from, int to) {
        for (int lineStart = from, lf; (lf = buf.indexOf(lineStart, to, (byte) '\n')) >= 0; lineStart = lf + 1) {
            if (lf == lineStart || (lf == lineStart + 1 && buf.getByte(lineStart) == '\r')) {
                return lf + 1;
            }
        }
        return -1;
    }

    /** Parses the head in {@code buf[from, end)}, sets the body's state, and returns the head to send on. */
    private ResponseHead parseHead(ByteBuf buf, int from, int end) {
        int lf = buf.indexOf(from, end, (byte) '\n');
        int lineEnd = contentEnd(buf, from, lf);
        if (!isStatusLine(buf, from, lineEnd)) {
            throw malformed("it does not start with an HTTP/1.x status line");
        }
        int status = (buf.getByte(from + 9) - '0') * 100 + (buf.getByte(from + 10) - '0') * 10 + buf.getByte(from + 11) - '0';
        boolean http11 = buf.getByte(from + 7) == '1';
        ByteBuf kept = alloc.buffer(end - from + 64);
        try {
            kept.writeBytes(HTTP_1_1).writeBytes(buf, from + 8, lineEnd - from - 8).writeShort(CRLF);
            long contentLength = -1;
            boolean chunked = false;
            boolean transferEncoded = false;
            boolean close = !http11;
            for (int lineStart = lf + 1; (lf = buf.indexOf(lineStart, end, (byte) '\n')) >= 0; lineStart = lf + 1) {
                lineEnd = contentEnd(buf, lineStart, lf);
                if (lineEnd == lineStart) {
                    break;
                }
                int colon = buf.indexOf(lineStart, lineEnd, (byte) ':');
                byte first = buf.getByte(lineStart);
                if (colon <= lineStart || first == ' ' || first == '\t' || isSpace(buf.getByte(colon - 1))) {
                    throw malformed("it has a malformed header line");
                }
                int nameLength = colon - lineStart;
                int valueStart = skipSpaces(buf, colon + 1, lineEnd);
                int valueEnd = trimSpaces(buf, valueStart, lineEnd);
                if (named(buf, lineStart, nameLength, CONTENT_LENGTH)) {
                    long length = contentLength(buf, valueStart, valueEnd);
                    if (contentLength >= 0 && contentLength != length) {
                        throw malformed("it has two different Content-Length headers");
                    }
                    contentLength = length;
                } else if (named(buf, lineStart, nameLength, TRANSFER_ENCODING)) {
                    transferEncoded = true;
                    chunked = endsWithChunked(buf, valueStart, valueEnd);
                } else if (named(buf, lineStart, nameLength, CONNECTION)) {
                    close = connectionSaysClose(buf, valueStart, valueEnd, close);
                }
                if (!isHopByHop(buf, lineStart, nameLength)) {
                    kept.writeBytes(buf, lineStart, lineEnd - lineStart).writeShort(CRLF);
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

    private static int contentEnd(ByteBuf buf, int lineStart, int lf) {
        return lf > lineStart && buf.getByte(lf - 1) == '\r' ? lf - 1 : lf;
    }

    private static boolean isStatusLine(ByteBuf buf, int from, int lineEnd) {
        if (lineEnd - from < 12 || (lineEnd - from > 12 && buf.getByte(from + 12) != ' ')) {
            return false;
        }
        for (int i = 0; i < 7; i++) {
            if (buf.getByte(from + i) != HTTP_1_1[i]) {
                return false;
            }
        }
        byte minor = buf.getByte(from + 7);
        return (minor == '0' || minor == '1') && buf.getByte(from + 8) == ' ' && isDigit(buf.getByte(from + 9))
                && isDigit(buf.getByte(from + 10)) && isDigit(buf.getByte(from + 11));
    }

    private static long contentLength(ByteBuf buf, int from, int to) {
        if (from == to || to - from > 18) {
            throw malformed("its Content-Length is not a length");
        }
        long length = 0;
        for (int i = from; i < to; i++) {
            byte b = buf.getByte(i);
            if (!isDigit(b)) {
                throw malformed("its Content-Length is not a length");
            }
            length = length * 10 + (b - '0');
        }
        return length;
    }

    /** Whether the last transfer coding in {@code buf[from, to)} is chunked. */
    private static boolean endsWithChunked(ByteBuf buf, int from, int to) {
        int comma = buf.indexOf(to, from, (byte) ',');
        int tokenStart = skipSpaces(buf, comma < 0 ? from : comma + 1, to);
        return named(buf, tokenStart, to - tokenStart, CHUNKED);
    }

    /** {@code close}, unless the Connection tokens in {@code buf[from, to)} say close or keep-alive. */
    private static boolean connectionSaysClose(ByteBuf buf, int from, int to, boolean close) {
        for (int start = from; start < to; ) {
            int comma = buf.indexOf(start, to, (byte) ',');
            int tokenEnd = comma < 0 ? to : comma;
            int tokenStart = skipSpaces(buf, start, tokenEnd);
            int length = trimSpaces(buf, tokenStart, tokenEnd) - tokenStart;
            if (named(buf, tokenStart, length, CLOSE)) {
                return true;
            }
            if (named(buf, tokenStart, length, KEEP_ALIVE)) {
                close = false;
            }
            start = tokenEnd + 1;
        }
        return close;
    }

    private static boolean isHopByHop(ByteBuf buf, int start, int length) {
        for (AsciiString name : IngressExchange.HOP_BY_HOP) {
            if (named(buf, start, length, name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code buf[start, start + length)} is {@code lowerCaseName}, ignoring ASCII case. */
    private static boolean named(ByteBuf buf, int start, int length, AsciiString lowerCaseName) {
        if (length != lowerCaseName.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            byte b = buf.getByte(start + i);
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lowerCaseName.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpaces(ByteBuf buf, int from, int to) {
        while (from < to && isSpace(buf.getByte(from))) {
            from++;
        }
        return from;
    }

    private static int trimSpaces(ByteBuf buf, int from, int to) {
        while (to > from && isSpace(buf.getByte(to - 1))) {
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
