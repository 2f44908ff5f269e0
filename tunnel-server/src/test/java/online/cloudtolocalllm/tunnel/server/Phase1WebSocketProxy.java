package online.cloudtolocalllm.tunnel.server;

import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.SocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The transport of a Phase 1 client for JSch: the raw SSH byte stream in binary WebSocket frames, no subprotocol,
 * no envelope, dialled with the JDK's WebSocket client. Each SSH write becomes one binary frame; received frames
 * are concatenated into the input stream.
 */
final class Phase1WebSocketProxy implements Proxy {
    private static final byte[] END = new byte[0];

    private final URI uri;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private @Nullable WebSocket socket;
    private volatile @Nullable Refusal refusal;

    /** What the server answered instead of switching protocols. */
    record Refusal(int status, String body) {
    }

    /** The proxy for {@code ws://host:port/ssh?token=...&userId=...}. */
    Phase1WebSocketProxy(URI uri) {
        this.uri = uri;
    }

    static URI phase1Uri(int port, String token, String userId) {
        return URI.create("ws://127.0.0.1:" + port + "/ssh?token=" + token + "&userId=" + userId);
    }

    /** The server's answer if it refused the upgrade. */
    @Nullable Refusal refusal() {
        return refusal;
    }

    @Override
    public void connect(SocketFactory ignored, String host, int port, int timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            socket = http.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(uri, new Receiver())
                    .get(timeout > 0 ? timeout : 10_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                Object body = handshake.getResponse().body();
                String text = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(body);
                refusal = new Refusal(handshake.getResponse().statusCode(), text);
                throw new IOException("WebSocket upgrade refused with HTTP " + refusal.status() + ": " + text, e);
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IOException("No WebSocket upgrade within " + timeout + " ms", e);
        }
    }

    private final class Receiver implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            received.add(copy);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.add(END);
            webSocket.abort();
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            received.add(END);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            received.add(END);
        }
    }

    @Override
    public InputStream getInputStream() {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int offset;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (offset == current.length) {
                    if (ended) {
                        return -1;
                    }
                    try {
                        current = received.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                    offset = 0;
                    if (current == END) {
                        ended = true;
                    }
                }
                int n = Math.min(len, current.length - offset);
                System.arraycopy(current, offset, into, off, n);
                offset += n;
                return n;
            }
        };
    }

    @Override
    public OutputStream getOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] bytes, int off, int len) throws IOException {
                WebSocket ws = socket;
                if (ws == null || ws.isOutputClosed()) {
                    throw new IOException("WebSocket closed");
                }
                try {
                    ws.sendBinary(ByteBuffer.wrap(Arrays.copyOfRange(bytes, off, off + len)), true).get(10, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IOException("WebSocket send failed", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        };
    }

    @Override
    public @Nullable Socket getSocket() {
        return null;
    }

    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // aborted below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ws.abort();
        }
        received.add(END);
    }
}
