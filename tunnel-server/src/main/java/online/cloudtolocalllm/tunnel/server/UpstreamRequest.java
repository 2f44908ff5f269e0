package online.cloudtolocalllm.tunnel.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.CharsetUtil;
import java.util.Iterator;
import java.util.Map;

/**
 * An ingress request as its service gets it, in HTTP/1.1 bytes: the request line, the headers the exchange adds one
 * by one, and the body framed as the caller framed it (a chunked body is chunked again, any other passes as it is).
 * Written into plain arrays, which the tunnel copies into its packets; characters are written as the bytes the
 * request decoder read them from (ISO-8859-1).
 */
final class UpstreamRequest {
    private final ByteBuf head;
    private final boolean chunked;
    private final boolean headMethod;

    /**
     * Starts the head of a {@code method} request for {@code path}, whose body is {@code chunked} or not, in
     * {@code head} (emptied first), which stays the caller's.
     */
    UpstreamRequest(ByteBuf head, HttpMethod method, String path, boolean chunked) {
        this.head = head.clear();
        this.chunked = chunked;
        this.headMethod = HttpMethod.HEAD.equals(method);
        write(head, method.asciiName());
        head.writeByte(' ');
        write(head, path);
        write(head, " HTTP/1.1\r\n");
    }

    UpstreamRequest header(CharSequence name, CharSequence value) {
        writeHeader(head, name, value);
        return this;
    }

    /** Ends the head (once). */
    ByteBuf finishHead() {
        return head.writeByte('\r').writeByte('\n');
    }

    /** Whether the response has no body whatever its headers say (RFC 9110 section 9.3.2). */
    boolean isHead() {
        return headMethod;
    }

    /** The bytes of one piece of the body; the caller owns them, {@code content} stays the caller's. */
    ByteBuf body(HttpContent content) {
        ByteBuf data = content.content();
        if (!chunked) {
            return data.retainedDuplicate();
        }
        int size = data.readableBytes();
        ByteBuf framed = Unpooled.buffer(size + 64);
        if (size > 0) {
            write(framed, Integer.toHexString(size));
            framed.writeByte('\r').writeByte('\n').writeBytes(data, data.readerIndex(), size).writeByte('\r').writeByte('\n');
        }
        if (content instanceof LastHttpContent last) {
            write(framed, "0\r\n");
            for (Iterator<Map.Entry<CharSequence, CharSequence>> trailers = last.trailingHeaders().iteratorCharSequence();
                    trailers.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> trailer = trailers.next();
                writeHeader(framed, trailer.getKey(), trailer.getValue());
            }
            framed.writeByte('\r').writeByte('\n');
        }
        return framed;
    }

    private static void writeHeader(ByteBuf out, CharSequence name, CharSequence value) {
        write(out, name);
        out.writeByte(':').writeByte(' ');
        write(out, value);
        out.writeByte('\r').writeByte('\n');
    }

    private static void write(ByteBuf out, CharSequence text) {
        out.writeCharSequence(text, CharsetUtil.ISO_8859_1);
    }
}
