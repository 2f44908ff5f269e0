package online.cloudtolocalllm.tunnel.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import online.cloudtolocalllm.tunnel.api.TunnelServer;
import online.cloudtolocalllm.tunnel.api.TunnelStream;

/** Server-side code talking to a user's service directly through the Java API, without going through ingress. */
public final class CallServiceExample {
    private CallServiceExample() {
    }

    /** Sends one HTTP GET to {@code user}'s {@code service} and returns the raw response. */
    public static String get(TunnelServer server, String user, String service, String path) throws IOException {
        try (TunnelStream stream = server.openStream(user, service).join()) {
            InputStream response = stream.inputStream();
            String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            stream.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII))).join();
            return new String(response.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
