package io.tokenledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection, written for the load driver: a request costs the client a few
 * microseconds, so on a two-core machine nearly all of the CPU goes to the server being measured. Not
 * thread-safe: each client of a load has its own.
 */
public final class Http implements Closeable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    public Http(int port) {
        this.port = port;
    }

    /** A response: status and body. */
    public record Response(int status, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }
    }

    public Response get(String path, String token) {
        return call("GET", path, token, null, Map.of());
    }

    public Response post(String path, String token, Object body) {
        return call("POST", path, token, body, Map.of());
    }

    public Response put(String path, String token, Object body) {
        return call("PUT", path, token, body, Map.of());
    }

    /** One request; reconnects once if the server closed the idle connection. */
    public Response call(String method, String path, String token, Object body, Map<String, String> headers) {
        return send(method, path, token, body == null ? null : json(body), "application/json", headers);
    }

    /** A POST of an HTML form ({@code application/x-www-form-urlencoded}), as OAuth 2.0 endpoints take. */
    public Response form(String path, String form, Map<String, String> headers) {
        return send("POST", path, null, form.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded",
                headers);
    }

    private Response send(String method, String path, String token, byte[] payload, String contentType,
                          Map<String, String> headers) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path)
                .append(" HTTP/1.1\r\nHost: localhost:").append(port).append("\r\nAccept: application/json\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (payload != null) {
            head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(payload.length)
                    .append("\r\n");
        } else if (!method.equals("GET")) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        byte[] request = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (int attempt = 0; ; attempt++) {
            boolean reused = socket != null;
            try {
                if (socket == null) {
                    connect();
                }
                out.write(request);
                if (payload != null) {
                    out.write(payload);
                }
                out.flush();
                return read();
            } catch (IOException e) {
                close();
                if (!reused || attempt > 0) {
                    throw new UncheckedIOException(method + " " + path + " failed", e);
                }
            }
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    private Response read() throws IOException {
        String statusLine = line();
        if (statusLine == null || !statusLine.matches("HTTP/1\\.[01] \\d{3}\\b.*")) {
            throw new IOException(statusLine == null ? "connection closed" : "not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                closing = value.equalsIgnoreCase("close");
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                // trailers are not used
            }
        } else if (length > 0) {
            body.write(in.readNBytes((int) length));
        }
        if (closing) {
            close();
        }
        return new Response(status, body.toByteArray());
    }

    private String line() throws IOException {
        return line(in);
    }

    /** One line of an HTTP message, without its CR LF; null at the end of the stream. */
    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    static byte[] json(Object body) {
        try {
            return body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
