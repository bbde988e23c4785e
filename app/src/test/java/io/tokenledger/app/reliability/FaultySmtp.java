package io.tokenledger.app.reliability;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP front for an SMTP server that fails on demand: {@link Mode#DOWN} refuses connections (nothing listens on
 * its port), {@link Mode#TEMPORARY} answers 4xx itself (421 as its greeting, or 451 to MAIL FROM, taking turns),
 * {@link Mode#REJECT} answers 5xx itself (550 to RCPT TO, or 554 to DATA, taking turns), and {@link Mode#PASS}
 * pipes the bytes to the real server and back. A connection keeps the mode it was accepted in; going DOWN also
 * drops every open connection.
 */
final class FaultySmtp implements Closeable {
    /** How the front answers. */
    enum Mode {
        DOWN, TEMPORARY, REJECT, PASS
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int target;
    private final int port;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "faulty-smtp");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> rejected = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Mode mode;
    private ServerSocket server;

    /** A front for the SMTP server on this loopback port, in the given mode. */
    FaultySmtp(int target, Mode mode) throws IOException {
        this.target = target;
        try (ServerSocket probe = new ServerSocket(0, 50, LOOPBACK)) {
            this.port = probe.getLocalPort();
        }
        mode(mode);
    }

    int port() {
        return port;
    }

    Mode mode() {
        return mode;
    }

    /** Switches the mode for connections accepted from now on. */
    synchronized void mode(Mode next) throws IOException {
        mode = next;
        if (next == Mode.DOWN) {
            if (server != null) {
                server.close();
                server = null;
            }
            for (Socket socket : open) {
                socket.close();
            }
            return;
        }
        if (server == null) {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress(LOOPBACK, port), 50);
            server = listening;
            threads.execute(() -> accept(listening));
        }
    }

    /** How many 5xx answers each recipient got. */
    Map<String, Integer> rejections() {
        Map<String, Integer> counts = new TreeMap<>();
        rejected.forEach((recipient, n) -> counts.put(recipient, n.get()));
        return counts;
    }

    /** How many times the front itself answered each SMTP code. */
    Map<String, Integer> answers() {
        Map<String, Integer> counts = new TreeMap<>();
        answers.forEach((code, n) -> counts.put(code, n.get()));
        return counts;
    }

    /** Connections accepted in any mode. */
    int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        mode(Mode.DOWN);
        threads.shutdownNow();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                open.add(client);
                int number = connections.incrementAndGet();
                Mode accepted = mode;
                threads.execute(() -> serve(client, accepted, number));
            } catch (IOException e) {
                return; // closed: DOWN
            }
        }
    }

    private void serve(Socket client, Mode accepted, int number) {
        try (client) {
            switch (accepted) {
                case PASS -> pipe(client);
                case TEMPORARY, REJECT -> answer(client, accepted, number % 2 == 0);
                case DOWN -> {
                }
            }
        } catch (IOException e) {
            // the client or the server went away: nothing to do
        } finally {
            open.remove(client);
        }
    }

    private void pipe(Socket client) throws IOException {
        try (Socket upstream = new Socket(LOOPBACK, target)) {
            open.add(upstream);
            try {
                threads.execute(() -> copy(upstream, client));
                copy(client, upstream);
            } finally {
                open.remove(upstream);
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /**
     * A minimal SMTP session that fails the mail: in TEMPORARY mode with 421 at once or 451 to MAIL FROM, in REJECT
     * mode with 550 to RCPT TO or 554 to DATA ({@code first} chooses which).
     */
    private void answer(Socket client, Mode accepted, boolean first) throws IOException {
        BufferedReader in = new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.US_ASCII);
        if (accepted == Mode.TEMPORARY && first) {
            reply(out, "421 4.3.2 faulty.test service not available, closing transmission channel");
            return;
        }
        reply(out, "220 faulty.test ESMTP");
        String recipient = null;
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
            switch (command) {
                case "EHLO", "HELO" -> reply(out, "250 faulty.test");
                case "MAIL" -> reply(out, accepted == Mode.TEMPORARY
                        ? "451 4.3.0 faulty.test mailbox temporarily unavailable, try again later" : "250 2.1.0 OK");
                case "RCPT" -> {
                    recipient = address(line);
                    if (accepted == Mode.REJECT && first) {
                        rejected(recipient);
                        reply(out, "550 5.1.1 faulty.test mailbox unavailable");
                    } else {
                        reply(out, "250 2.1.5 OK");
                    }
                }
                case "DATA" -> {
                    if (accepted == Mode.REJECT) {
                        rejected(recipient);
                        reply(out, "554 5.6.0 faulty.test message rejected by policy");
                    } else {
                        reply(out, "451 4.3.0 faulty.test try again later");
                    }
                }
                case "QUIT" -> {
                    reply(out, "221 2.0.0 bye");
                    return;
                }
                default -> reply(out, "250 2.0.0 OK");
            }
        }
    }

    private void rejected(String recipient) {
        rejected.computeIfAbsent(String.valueOf(recipient), r -> new AtomicInteger()).incrementAndGet();
    }

    private void reply(Writer out, String line) throws IOException {
        String code = line.substring(0, 3);
        if (!Set.of("220", "221", "250").contains(code)) {
            answers.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
        }
        out.write(line + "\r\n");
        out.flush();
    }

    private static String address(String rcpt) {
        int start = rcpt.indexOf('<');
        int end = rcpt.indexOf('>', start + 1);
        if (start < 0 || end < 0) {
            throw new UncheckedIOException(new IOException("not an address: " + rcpt));
        }
        return rcpt.substring(start + 1, end).toLowerCase(Locale.ROOT);
    }
}
