package io.tokenledger.app.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Sends a request with a large body the way an attacker would: a JSON login body of the given size, declared with
 * a Content-Length or sent chunked, generated as it is written (never held in memory), while watching for an
 * answer; writing stops as soon as the server answers or closes.
 */
public final class LargeBodies {
    private static final byte[] PREFIX = "{\"username\":\"nobody\",\"password\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "\"}".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 16 * 1024;

    private LargeBodies() {
    }

    /**
     * The answer: its status (0 if the server closed without one), its body, how many body bytes had been written
     * when it came, and how long after the request's head it took.
     */
    public record Answer(int status, String head, String body, long bytesWritten, long millis) {
    }

    /** A request of {@code size} body bytes to {@code path}, with these extra header lines. */
    public static Answer send(int port, String method, String path, List<String> headers, long size,
                              boolean declared) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nContent-Type: application/json\r\nConnection: close\r\n");
            headers.forEach(h -> head.append(h).append("\r\n"));
            head.append(declared ? "Content-Length: " + size : "Transfer-Encoding: chunked").append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            long written = 0;
            byte[] buffer = new byte[CHUNK];
            try {
                while (written < size && in.available() == 0) {
                    int n = (int) Math.min(CHUNK, size - written);
                    fill(buffer, written, n, size);
                    if (!declared) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(buffer, 0, n);
                    if (!declared) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    written += n;
                }
                if (written == size && !declared) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                if (written < size) {
                    // answered before the body was sent: send no more of it (a server draining the rest waits no
                    // longer either)
                    socket.shutdownOutput();
                }
            } catch (IOException closedByServer) {
                // the server answered and closed while the body was still being sent: read what it said
            }
            byte[] raw = readWhatCame(in);
            long millis = (System.nanoTime() - start) / 1_000_000;
            String text = new String(raw, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                return new Answer(0, text, "", written, millis);
            }
            int status = Integer.parseInt(text.substring(9, 12));
            return new Answer(status, text.substring(0, end), text.substring(end + 4), written, millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of the body at {@code offset}: the login JSON's head, then the password's filler, then its end. */
    private static void fill(byte[] buffer, long offset, int n, long size) {
        Arrays.fill(buffer, 0, n, (byte) 'a');
        for (int i = 0; i < n; i++) {
            long at = offset + i;
            if (at < PREFIX.length) {
                buffer[i] = PREFIX[(int) at];
            } else if (at >= size - SUFFIX.length) {
                buffer[i] = SUFFIX[(int) (at - (size - SUFFIX.length))];
            }
        }
    }

    /** Everything until the server closes, or what arrived before it reset the connection. */
    private static byte[] readWhatCame(InputStream in) {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                answer.write(buffer, 0, n);
            }
        } catch (IOException reset) {
            // keep what came before
        }
        return answer.toByteArray();
    }
}
