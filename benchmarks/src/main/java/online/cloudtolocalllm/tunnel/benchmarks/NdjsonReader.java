package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an NDJSON stream from {@link HttpBackend} over a raw socket and notes, for each line, how long after the
 * backend stamped it the line was complete here.
 */
final class NdjsonReader {
    private static final Pattern SENT = Pattern.compile("\"sentNanos\":(\\d+)");

    private NdjsonReader() {
    }

    /** The delay of each token line in arrival order, in nanoseconds. */
    static List<Long> read(int port, String path, String authorization) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.getOutputStream().write(HttpProbe.request(path, authorization, true).getBytes(StandardCharsets.US_ASCII));
            return readResponse(new BufferedInputStream(socket.getInputStream()), System::nanoTime, path);
        }
    }

    /** Reads a response (chunked, or ended by the connection) and times each token line with {@code clock}. */
    static List<Long> readResponse(InputStream in, LongSupplier clock, String path) throws IOException {
        String status = HttpProbe.readLine(in);
        if (!status.contains(" 200")) {
            throw new IOException("GET " + path + ": " + status);
        }
        boolean chunked = false;
        for (String header; !(header = HttpProbe.readLine(in)).isEmpty(); ) {
            chunked |= header.toLowerCase(Locale.ROOT).matches("transfer-encoding:\\s*chunked");
        }
        List<Long> delays = new ArrayList<>();
        LineCollector lines = new LineCollector(delays, clock);
        if (chunked) {
            for (int size; (size = Integer.parseInt(HttpProbe.readLine(in).split(";")[0].trim(), 16)) > 0; ) {
                for (int i = 0; i < size; i++) {
                    lines.accept(in.read());
                }
                HttpProbe.readLine(in);
            }
        } else {
            for (int c; (c = in.read()) >= 0; ) {
                lines.accept(c);
            }
        }
        return delays;
    }

    /** Splits bytes into lines and records each token line's delay when its newline arrives. */
    private static final class LineCollector {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final List<Long> delays;
        private final LongSupplier clock;

        LineCollector(List<Long> delays, LongSupplier clock) {
            this.delays = delays;
            this.clock = clock;
        }

        void accept(int b) throws IOException {
            if (b < 0) {
                throw new IOException("stream ended inside a chunk");
            }
            if (b != '\n') {
                line.write(b);
                return;
            }
            long now = clock.getAsLong();
            Matcher sent = SENT.matcher(line.toString(StandardCharsets.US_ASCII));
            if (sent.find()) {
                delays.add(now - Long.parseLong(sent.group(1)));
            }
            line.reset();
        }
    }
}
