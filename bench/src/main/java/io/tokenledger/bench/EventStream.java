package io.tokenledger.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows {@code /api/stream/tokens} on its own thread and notes when each token id first arrived
 * ({@link System#nanoTime()}), as a live dashboard would see it.
 */
final class EventStream implements AutoCloseable {
    private final Socket socket = new Socket();
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    private final Thread reader;

    EventStream(int port, String token) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/stream/tokens HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String status = Http.line(in);
        if (status == null || !status.matches("HTTP/1\\.1 200\\b.*")) {
            throw new IOException("stream refused: " + status);
        }
        boolean chunked = false;
        for (String header = Http.line(in); header != null && !header.isEmpty(); header = Http.line(in)) {
            chunked |= header.toLowerCase().startsWith("transfer-encoding:") && header.toLowerCase().contains("chunked");
        }
        boolean framed = chunked;
        reader = new Thread(() -> read(in, framed), "event-stream");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(InputStream in, boolean chunked) {
        InputStream body = chunked ? new Dechunked(in) : in;
        StringBuilder line = new StringBuilder();
        try {
            for (int b = body.read(); b >= 0; b = body.read()) {
                if (b == '\n') {
                    String text = line.toString();
                    if (text.startsWith("id:")) {
                        firstSeen.putIfAbsent(text.substring(3).strip(), System.nanoTime());
                    }
                    line.setLength(0);
                } else if (b != '\r') {
                    line.append((char) b);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the stream was closed
        }
    }

    /** The body of a chunked response, without its framing. */
    private static final class Dechunked extends InputStream {
        private final InputStream in;
        private int left;

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                String size = Http.line(in);
                if (size != null && size.isEmpty()) {
                    size = Http.line(in);
                }
                if (size == null) {
                    return -1;
                }
                left = Integer.parseInt(size.split(";")[0].strip(), 16);
                if (left == 0) {
                    return -1;
                }
            }
            left--;
            return in.read();
        }
    }

    /** When the token's first change arrived, or null. */
    Long firstSeen(String tokenId) {
        return firstSeen.get(tokenId);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
