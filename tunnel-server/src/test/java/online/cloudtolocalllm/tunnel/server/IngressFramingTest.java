package online.cloudtolocalllm.tunnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import online.cloudtolocalllm.tunnel.api.ExposedService;
import online.cloudtolocalllm.tunnel.testing.TcpTestService;
import online.cloudtolocalllm.tunnel.testing.TestServer;
import online.cloudtolocalllm.tunnel.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Responses whose length the ingress must know without a body to count (HEAD, 204, 304) and request bodies in
 * chunks: each goes through one keep-alive caller connection, so a response framed wrongly would stall or garble the
 * next exchange on it. The local service is scripted byte by byte, answering HEAD with the Content-Length its GET
 * would have. The ingress does not decode responses but follows their framing ({@link ResponseReader}), so interim
 * responses, chunks split across packets, bodies that end with the connection and garbage each have a case.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IngressFramingTest {
    /** A body that reaches the ingress in one or two packets. */
    private static final int BIG = 60_000;

    @TempDir
    Path dataDir;

    private TcpTestService service;
    private TestServer tunnel;
    private String token;

    @BeforeEach
    void start() throws Exception {
        service = TcpTestService.start(IngressFramingTest::serve);
        tunnel = TestServer.start(dataDir, b -> { });
        tunnel.connect("alice", new ExposedService("raw", "127.0.0.1", service.port()));
        token = TestTokens.valid("alice");
    }

    @AfterEach
    void stop() {
        tunnel.close();
        service.close();
    }

    @Test
    void headNoContentAndNotModifiedEndAtTheirHeadersAndTheConnectionGoesOn() throws IOException {
        try (Socket caller = caller()) {
            InputStream in = caller.getInputStream();

            request(caller, "HEAD", "/t/alice/raw/file");
            Response head = Response.read(in, true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers()).containsEntry("content-length", "5000");

            request(caller, "GET", "/t/alice/raw/no-content");
            assertThat(Response.read(in, false).status()).isEqualTo(204);

            request(caller, "GET", "/t/alice/raw/not-modified");
            Response notModified = Response.read(in, true);
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.headers()).containsEntry("etag", "\"v1\"");

            assertTheConnectionGoesOn(caller, in);
        }
    }

    @Test
    void theServersOwnAnswerToAHeadRequestHasNoBodyAndTheConnectionGoesOn() throws IOException {
        try (Socket caller = caller()) {
            InputStream in = caller.getInputStream();

            request(caller, "HEAD", "/t/alice/nothing-here/x");
            Response notFound = Response.read(in, true);
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(Integer.parseInt(notFound.headers().get("content-length"))).isPositive();

            assertTheConnectionGoesOn(caller, in);
        }
    }

    @Test
    void aChunkedRequestBodyArrivesWholeAndTheConnectionGoesOn() throws IOException {
        try (Socket caller = caller()) {
            InputStream in = caller.getInputStream();
            for (int round = 0; round < 2; round++) {
                send(caller, "POST /t/alice/raw/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n" + "5\r\nhello\r\n" + "1\r\n \r\n" + "5\r\nworld\r\n"
                        + "0\r\n\r\n");
                Response echoed = Response.read(in, false);
                assertThat(echoed.status()).isEqualTo(200);
                assertThat(new String(echoed.body(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
            }
        }
    }

    @Test
    void callersThatCloseAfterEachResponseLeaveTheStreamItsWindow() throws IOException {
        // a 2 MiB window lasts some 35 of these responses if the window of their last piece is kept for a caller
        // whose connection is gone: the stream would stall in the middle of a later response
        for (int round = 0; round < 100; round++) {
            try (Socket caller = caller()) {
                send(caller, "GET /t/alice/raw/big HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                        + "\r\nConnection: close\r\n\r\n");
                Response response = Response.read(caller.getInputStream(), false);

                assertThat(response.status()).as("round %d", round).isEqualTo(200);
                assertThat(response.body()).as("round %d", round).hasSize(BIG);
            }
        }
    }

    @Test
    void aChunkLargerThanAnSshPacketArrivesWholeAndInOrder() throws IOException {
        // the request decoder hands on up to 64 KiB at a time, which the tunnel splits into packets of its peer's size
        String chunk = IntStream.range(0, 200 * 1024 / 8).mapToObj(i -> String.format("%07x ", i))
                .collect(Collectors.joining());
        try (Socket caller = caller()) {
            send(caller, "POST /t/alice/raw/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk
                    + "\r\n0\r\n\r\n");
            Response echoed = Response.read(caller.getInputStream(), false);

            assertThat(echoed.status()).isEqualTo(200);
            assertThat(new String(echoed.body(), StandardCharsets.US_ASCII)).isEqualTo(chunk);
        }
    }

    @Test
    void theServiceGetsTheCallersHeadersAndTrailersWithoutThoseOfTheConnectionAndWithTheForwardingOnes() throws IOException {
        try (Socket caller = caller()) {
            for (String forwardedFor : new String[] {"10.0.0.1", null, "10.0.0.2"}) {
                send(caller, "POST /t/alice/raw/head?q=1 HTTP/1.1\r\nHost: example.test\r\nAuthorization: Bearer " + token
                        + "\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTE: trailers"
                        + (forwardedFor == null ? "" : "\r\nX-Forwarded-For: " + forwardedFor)
                        + "\r\nX-Forwarded-Proto: gopher\r\nX-Custom: kept\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n");
                Response echoed = Response.read(caller.getInputStream(), false);

                assertThat(echoed.status()).isEqualTo(200);
                assertThat(new String(echoed.body(), StandardCharsets.ISO_8859_1).split("\n")).containsExactlyInAnyOrder(
                        "POST /head?q=1 HTTP/1.1",
                        "host: localhost",
                        "x-forwarded-host: example.test",
                        "x-forwarded-for: " + (forwardedFor == null ? "" : forwardedFor + ", ") + "127.0.0.1",
                        "x-forwarded-proto: http",
                        "x-forwarded-prefix: /t/alice/raw",
                        "x-custom: kept",
                        "transfer-encoding: chunked",
                        "trailer x-checksum: abc",
                        "body hello");
            }
        }
    }

    @Test
    void interimResponsesAreDroppedAndAChunkedBodyArrivingInSmallPiecesKeepsItsTrailersButNotTheConnectionsHeaders()
            throws IOException {
        try (Socket caller = caller()) {
            InputStream in = caller.getInputStream();
            for (int round = 0; round < 2; round++) {
                request(caller, "GET", "/t/alice/raw/interim-chunked");
                Response response = Response.read(in, false);

                assertThat(response.status()).isEqualTo(200);
                assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
                assertThat(response.headers()).containsEntry("x-kept", "yes").containsEntry("trailer x-sum", "11")
                        .containsEntry("connection", "keep-alive").doesNotContainKeys("keep-alive", "upgrade", "link");
            }
        }
    }

    @Test
    void aBodyThatEndsWithTheServicesConnectionReachesAnHttp11CallerChunkedAndItsConnectionGoesOn() throws IOException {
        try (Socket caller = caller()) {
            InputStream in = caller.getInputStream();
            request(caller, "GET", "/t/alice/raw/until-close");
            Response response = Response.read(in, false);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).containsEntry("transfer-encoding", "chunked");
            assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("streamed until the end");

            assertTheConnectionGoesOn(caller, in);
        }
    }

    @Test
    void aServiceAnsweringWithSomethingOtherThanHttpGets502WithTunnel021AndTheCallersConnectionGoesOn()
            throws IOException {
        try (Socket caller = caller()) {
            InputStream in = caller.getInputStream();
            request(caller, "GET", "/t/alice/raw/garbage");
            Response refused = Response.read(in, false);

            assertThat(refused.status()).isEqualTo(502);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("TUNNEL_021")
                    .contains("does not start with an HTTP/1.x status line");

            assertTheConnectionGoesOn(caller, in);
        }
    }

    private Socket caller() throws IOException {
        Socket caller = new Socket("127.0.0.1", tunnel.port());
        caller.setSoTimeout(10_000);
        return caller;
    }

    /** The next request on the caller's connection is answered whole: the one before ended where it should. */
    private void assertTheConnectionGoesOn(Socket caller, InputStream in) throws IOException {
        request(caller, "GET", "/t/alice/raw/file");
        Response file = Response.read(in, false);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body()).hasSize(5000);
    }

    /** Sends a {@code method} request for {@code path} with alice's token and no body. */
    private void request(Socket caller, String method, String path) throws IOException {
        send(caller, method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n");
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** The scripted service: keeps each connection alive and answers every request on it. */
    private static void serve(Socket connection) throws IOException {
        InputStream in = connection.getInputStream();
        OutputStream out = connection.getOutputStream();
        for (String requestLine; !(requestLine = readLine(in)).isEmpty(); ) {
            Map<String, String> headers = readHeaders(in);
            byte[] body = readBody(in, headers);
            String[] parts = requestLine.split(" ");
            if (parts[1].equals("/until-close")) {
                out.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nstreamed until the end"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (parts[1].equals("/interim-chunked")) {
                writeInPieces(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nKeep-Alive: timeout=5\r\nUpgrade: h2c\r\n"
                        + "X-Kept: yes\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n");
                continue;
            }
            String answer = switch (parts[0] + " " + parts[1]) {
                case "HEAD /file" -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n";
                case "GET /file" -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n"
                        + "x".repeat(5000);
                case "GET /no-content" -> "HTTP/1.1 204 No Content\r\n\r\n";
                case "GET /not-modified" -> "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n";
                case "POST /echo" -> "HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n"
                        + new String(body, StandardCharsets.US_ASCII);
                case "POST /head?q=1" -> withLength(requestLine + "\n" + String.join("\n", headers.entrySet().stream()
                        .map(header -> header.getKey() + ": " + header.getValue()).toList())
                        + "\nbody " + new String(body, StandardCharsets.ISO_8859_1));
                case "GET /garbage" -> "SSH-2.0-OpenSSH_9.2\r\n\r\n";
                case "GET /big" -> "HTTP/1.1 200 OK\r\nContent-Length: " + BIG + "\r\n\r\n" + "b".repeat(BIG);
                default -> "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
            };
            out.write(answer.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    /** Writes {@code text} seven bytes at a time, each in its own packet, so the ingress gets it in pieces. */
    private static void writeInPieces(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        for (int from = 0; from < bytes.length; from += 7) {
            out.write(bytes, from, Math.min(7, bytes.length - from));
            out.flush();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    private static String withLength(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private record Response(int status, Map<String, String> headers, byte[] body) {
        /** Reads one response; {@code headersOnly} for one that ends at its headers whatever they say. */
        static Response read(InputStream in, boolean headersOnly) throws IOException {
            String statusLine = readLine(in);
            Map<String, String> headers = readHeaders(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            byte[] body = headersOnly || status == 204 ? new byte[0] : readBody(in, headers);
            return new Response(status, headers, body);
        }
    }

    /** Header names in lower case. */
    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }

    /**
     * A body framed by Content-Length or chunked encoding (chunk extensions ignored); none without either. Trailers
     * join the headers.
     */
    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size; (size = Integer.parseInt(readLine(in).replaceAll(";.*", "").trim(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                readLine(in);
            }
            for (String trailer; !(trailer = readLine(in)).isEmpty(); ) {
                int colon = trailer.indexOf(':');
                headers.put("trailer " + trailer.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        trailer.substring(colon + 1).trim());
            }
            return body.toByteArray();
        }
        String length = headers.get("content-length");
        return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
    }

    /** One CRLF-terminated line without its terminator; empty at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
