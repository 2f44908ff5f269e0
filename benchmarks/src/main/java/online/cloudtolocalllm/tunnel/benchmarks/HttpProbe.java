package online.cloudtolocalllm.tunnel.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A minimal HTTP/1.1 GET on a fresh connection, for polling until a new tunnel answers. */
final class HttpProbe {
    private HttpProbe() {
    }

    /** The status code of {@code GET path}, or -1 if the connection failed. */
    static int status(int port, String path, String authorization) {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(5000);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.getOutputStream().write(request(path, authorization, true).getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String statusLine = readLine(in);
            String[] parts = statusLine.split(" ");
            return parts.length >= 2 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Polls {@code GET path} until it answers 200; returns the nanoTime at that answer. */
    static long awaitOk(int port, String path, String authorization, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (status(port, path, authorization) != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("GET " + path + " on port " + port + " did not answer 200 within " + timeout);
            }
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    static String request(String path, String authorization, boolean close) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    /** One CRLF- or LF-terminated line, without the terminator; empty at end of stream. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
