package online.cloudtolocalllm.tunnel.agent;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.BaseTSD;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.User32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinDef;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinUser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Pageant reached the old way, for versions before 0.75 that have no named pipe: each framed request is written to
 * a shared memory mapping whose name goes to Pageant's window in a {@code WM_COPYDATA} message, and Pageant writes
 * its answer into the same mapping. Needs JNA (an optional dependency: add {@code net.java.dev.jna:jna-platform}).
 * Untested on Windows until someone runs it there; its message layout is tested with a plain buffer.
 */
final class PageantWindowConnector implements AgentConnector {
    /** Pageant's {@code AGENT_COPYDATA_ID}. */
    static final long COPYDATA_ID = 0x804e50baL;
    /** Pageant's {@code AGENT_MAX_MSGLEN}: the mapping's size. */
    static final int MAPPING_SIZE = 8192;

    /** Whether this is Windows, JNA's Windows bindings are on the path, and Pageant's window exists. */
    static boolean available() {
        if (!System.getProperty("os.name", "").startsWith("Windows")) {
            return false;
        }
        try {
            Class.forName("com.sun.jna.platform.win32.User32", false, PageantWindowConnector.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        return User32.INSTANCE.FindWindow("Pageant", "Pageant") != null;
    }

    @Override
    public String location() {
        return "Pageant's window (WM_COPYDATA)";
    }

    @Override
    public ByteChannel open() {
        if (User32.INSTANCE.FindWindow("Pageant", "Pageant") == null) {
            throw AgentFailures.socketMissing("Pageant is not running: no Pageant window and no agent pipe", null);
        }
        return new MessageExchangeChannel(PageantWindowConnector::exchange);
    }

    /** Writes {@code framedRequest} at the start of the mapping, as Pageant reads it. */
    static void writeRequest(ByteBuffer mapping, byte[] framedRequest) throws IOException {
        if (framedRequest.length > mapping.capacity()) {
            throw new IOException("An agent request of " + framedRequest.length + " bytes does not fit Pageant's "
                    + mapping.capacity() + "-byte mapping");
        }
        mapping.put(0, framedRequest);
    }

    /** The framed answer Pageant wrote at the start of the mapping. */
    static byte[] readAnswer(ByteBuffer mapping) throws IOException {
        int length = mapping.getInt(0);
        if (length <= 0 || length > mapping.capacity() - 4) {
            throw new IOException("Pageant answered with " + Integer.toUnsignedString(length) + " bytes");
        }
        byte[] framed = new byte[4 + length];
        mapping.get(0, framed);
        return framed;
    }

    private static byte[] exchange(byte[] framedRequest) throws IOException {
        WinDef.HWND window = User32.INSTANCE.FindWindow("Pageant", "Pageant");
        if (window == null) {
            throw new IOException("Pageant's window went away");
        }
        String name = String.format("PageantRequest%08x", Kernel32.INSTANCE.GetCurrentThreadId());
        WinNT.HANDLE mapping = Kernel32.INSTANCE.CreateFileMapping(WinBase.INVALID_HANDLE_VALUE, null, WinNT.PAGE_READWRITE,
                0, MAPPING_SIZE, name);
        if (mapping == null) {
            throw new IOException("Cannot create the shared memory for Pageant (error " + Kernel32.INSTANCE.GetLastError() + ")");
        }
        try {
            Pointer view = Kernel32.INSTANCE.MapViewOfFile(mapping, WinBase.FILE_MAP_WRITE, 0, 0, 0);
            if (view == null) {
                throw new IOException("Cannot map the shared memory for Pageant (error " + Kernel32.INSTANCE.GetLastError() + ")");
            }
            try {
                ByteBuffer buffer = view.getByteBuffer(0, MAPPING_SIZE);
                writeRequest(buffer, framedRequest);
                byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
                try (Memory nameMemory = new Memory(nameBytes.length)) {
                    nameMemory.write(0, nameBytes, 0, nameBytes.length);
                    WinUser.COPYDATASTRUCT data = new WinUser.COPYDATASTRUCT();
                    data.dwData = new BaseTSD.ULONG_PTR(COPYDATA_ID);
                    data.cbData = nameBytes.length;
                    data.lpData = nameMemory;
                    data.write();
                    WinDef.LRESULT answered = User32.INSTANCE.SendMessage(window, WinUser.WM_COPYDATA, null,
                            new WinDef.LPARAM(Pointer.nativeValue(data.getPointer())));
                    if (answered == null || answered.longValue() == 0) {
                        throw new IOException("Pageant refused the request");
                    }
                }
                return readAnswer(buffer);
            } finally {
                Kernel32.INSTANCE.UnmapViewOfFile(view);
            }
        } finally {
            Kernel32.INSTANCE.CloseHandle(mapping);
        }
    }
}
