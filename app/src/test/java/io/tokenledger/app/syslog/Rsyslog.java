package io.tokenledger.app.syslog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslog (Debian's package) run by a test: TCP input on loopback (octet-counted framing, as rsyslog takes it
 * by default), every message written as received, one per line, to a file. Stopped and started again on the same
 * port and file, as an operator restarting it would.
 */
final class Rsyslog implements AutoCloseable {
    static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

    private final Path dir;
    private final int port;
    private Process process;

    Rsyslog(Path dir) {
        this.dir = dir.toAbsolutePath();
        try (ServerSocket free = new ServerSocket(0)) {
            this.port = free.getLocalPort();
            Files.createDirectories(dir.resolve("work"));
            Files.writeString(dir.resolve("rsyslog.conf"), """
                    global(workDirectory="%1$s/work" maxMessageSize="64k")
                    module(load="imtcp")
                    input(type="imtcp" address="127.0.0.1" port="%2$d")
                    template(name="raw" type="string" string="%%rawmsg%%\\n")
                    action(type="omfile" file="%1$s/received.log" template="raw")
                    """.formatted(dir.toAbsolutePath(), port), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** Starts rsyslogd in the foreground and waits until it accepts connections. */
    Rsyslog start() {
        try {
            process = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                    "-i", dir.resolve("rsyslogd.pid").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.out").toFile()))
                    .start();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (true) {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return this;
                } catch (IOException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("rsyslogd did not start: "
                                + Files.readString(dir.resolve("rsyslogd.out")));
                    }
                    Thread.sleep(50);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops rsyslogd as its service would (SIGTERM), and waits for it. */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Every message received so far, one per line. */
    List<String> received() {
        Path file = dir.resolve("received.log");
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
