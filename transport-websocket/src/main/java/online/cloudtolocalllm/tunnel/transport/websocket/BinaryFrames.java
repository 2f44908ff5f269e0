package online.cloudtolocalllm.tunnel.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Encodes a binary WebSocket frame (RFC 6455 section 5.2, final, opcode 2) in one pass, header and payload in the
 * direct buffer that goes to the socket, which Netty's encoder then passes on as it is. A client's frame is masked
 * eight bytes at a time while it is copied: Netty's encoder masks four bytes per bounds-checked call, which cost a
 * third of the client's CPU in bulk transfers here. A server's frame is copied once: Netty's encoder copies a small
 * payload (most SSH packets of an HTTP exchange) into its header's buffer, after the copy that frees sshd's array.
 */
final class BinaryFrames {
    private static final VarHandle LONGS_IN_ARRAY = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS_IN_BUFFER = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int FINAL_BINARY = 0x82;
    private static final int MASKED = 0x80;

    private BinaryFrames() {
    }

    /** A client's whole frame for {@code payload}, which must have an accessible array; the payload is left untouched. */
    static ByteBuf masked(ByteBufAllocator alloc, ByteBuf payload) {
        int length = payload.readableBytes();
        int mask = ThreadLocalRandom.current().nextInt();
        ByteBuf frame = header(alloc, length, true).writeInt(mask);
        ByteBuffer target = frame.internalNioBuffer(frame.writerIndex(), length);
        mask(payload.array(), payload.arrayOffset() + payload.readerIndex(), length, mask, target);
        frame.writerIndex(frame.writerIndex() + length);
        return frame;
    }

    /** A server's whole frame for {@code payload}'s remaining bytes; the payload's position is left where it was. */
    static ByteBuf unmasked(ByteBufAllocator alloc, ByteBuffer payload) {
        return header(alloc, payload.remaining(), false).writeBytes(payload.duplicate());
    }

    /** A buffer with room for the whole frame, holding its header up to the mask. */
    private static ByteBuf header(ByteBufAllocator alloc, int length, boolean masked) {
        int lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
        int maskBit = masked ? MASKED : 0;
        ByteBuf frame = alloc.directBuffer(2 + lengthBytes + (masked ? 4 : 0) + length);
        frame.writeByte(FINAL_BINARY);
        if (lengthBytes == 0) {
            frame.writeByte(maskBit | length);
        } else if (lengthBytes == 2) {
            frame.writeByte(maskBit | 126).writeShort(length);
        } else {
            frame.writeByte(maskBit | 127).writeLong(length);
        }
        return frame;
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
