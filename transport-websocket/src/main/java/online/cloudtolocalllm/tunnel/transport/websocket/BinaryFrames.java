package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes a binary WebSocket frame (RFC 6455 section 5.2, final, opcode 2) in the direct buffer that goes to the
 * socket, which Netty's encoder then passes on as it is: the payload is gathered after {@link #HEADER_ROOM} bytes and
 * the header written in front of it once its length is known. A client's payload is masked eight bytes at a time
 * while it is copied: Netty's encoder masks four bytes per bounds-checked call, which cost a third of the client's CPU
 * in bulk transfers here.
 */
final class BinaryFrames {
    /** The most a header takes: two bytes, an eight-byte length and a four-byte mask. */
    static final int HEADER_ROOM = 14;

    private static final VarHandle LONGS_IN_ARRAY = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS_IN_BUFFER = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int FINAL_BINARY = 0x82;
    private static final int MASKED = 0x80;

    private BinaryFrames() {
    }

    /**
     * Appends {@code bytes}, masked with {@code mask}, to the payload in {@code frame}, which holds {@code gathered}
     * payload bytes so far; {@code bytes}' position is left where it was.
     */
    static void appendMasked(ByteBuf frame, ByteBuffer bytes, int gathered, int mask) {
        int length = bytes.remaining();
        byte[] source;
        int offset;
        if (bytes.hasArray()) {
            source = bytes.array();
            offset = bytes.arrayOffset() + bytes.position();
        } else {
            source = new byte[length];
            bytes.duplicate().get(source);
            offset = 0;
        }
        frame.ensureWritable(length);
        // the mask runs on from the payload before: byte i of the payload takes byte i % 4 of the mask
        int phased = Integer.rotateLeft(mask, 8 * (gathered & 3));
        mask(source, offset, length, phased, frame.internalNioBuffer(frame.writerIndex(), length));
        frame.writerIndex(frame.writerIndex() + length);
    }

    /**
     * Writes the header in front of the payload gathered in {@code frame} after {@link #HEADER_ROOM} bytes, with
     * {@code mask} if {@code masked}, and returns {@code frame} readable from the header on.
     */
    static ByteBuf seal(ByteBuf frame, boolean masked, int mask) {
        int length = frame.writerIndex() - HEADER_ROOM;
        int lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
        int start = HEADER_ROOM - 2 - lengthBytes - (masked ? 4 : 0);
        int maskBit = masked ? MASKED : 0;
        frame.setByte(start, FINAL_BINARY);
        int at = start + 2;
        if (lengthBytes == 0) {
            frame.setByte(start + 1, maskBit | length);
        } else if (lengthBytes == 2) {
            frame.setByte(start + 1, maskBit | 126).setShort(at, length);
        } else {
            frame.setByte(start + 1, maskBit | 127).setLong(at, length);
        }
        if (masked) {
            frame.setInt(at + lengthBytes, mask);
        }
        return frame.readerIndex(start);
    }

    /** Writes {@code length} bytes of {@code source} from {@code offset}, XORed with {@code mask}, at {@code target}'s position. */
    static void mask(byte[] source, int offset, int length, int mask, ByteBuffer target) {
        long longMask = (mask & 0xFFFF_FFFFL) << 32 | (mask & 0xFFFF_FFFFL);
        int base = target.position();
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            LONGS_IN_BUFFER.set(target, base + i, (long) LONGS_IN_ARRAY.get(source, offset + i) ^ longMask);
        }
        for (; i < length; i++) {
            target.put(base + i, (byte) (source[offset + i] ^ (mask >>> (24 - 8 * (i & 3)))));
        }
    }
}
