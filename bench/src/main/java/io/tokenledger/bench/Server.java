package io.tokenledger.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The runnable jar started as its own process on the embedded default, as a user starts it: embedded
 * PostgreSQL with its data under the given directory, the embedded SMTP capture, the bootstrap admin. The raw
 * limits are measured on that same PostgreSQL server, found through its {@code postmaster.pid}.
 */
public final class Server implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "bench-admin-password-1";

    private final Process process;
    private final Path dataDir;
    private final int port;
    private final long startedNanos;
    private long healthyNanos;

    private Server(Process process, Path dataDir, int port, long startedNanos) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts the jar. With {@code extension} (a jar), it goes on the application's loader path; otherwise the
     * command is exactly {@code java -jar tokenledger.jar}.
     */
    public static Server start(Path jar, Path dataDir, Path extension, List<String> jvmArgs, String... args) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        if (extension == null) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-Dloader.path=" + extension, "-cp", jar.toString(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher"));
        }
        command.addAll(List.of("--server.port=" + port, "--tokenledger.data-dir=" + dataDir,
                "--tokenledger.embedded-smtp.port=0", "--tokenledger.bootstrap-admin.password=" + ADMIN_PASSWORD));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(dataDir);
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("app.log").toFile())).start();
            Server server = new Server(process, dataDir, port, started);
            server.awaitHealthy(Duration.ofMinutes(3));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        try (Http http = new Http(port)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the application exited with " + process.exitValue()
                            + "; see " + dataDir.resolve("app.log"));
                }
                try {
                    if (http.get("/actuator/health", null).status() == 200) {
                        healthyNanos = System.nanoTime();
                        return;
                    }
                } catch (UncheckedIOException notYet) {
                    http.close();
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("not healthy within " + bound + "; see " + dataDir.resolve("app.log"));
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** From starting the process to the first healthy answer of {@code /actuator/health}. */
    public Duration startUp() {
        return Duration.ofNanos(healthyNanos - startedNanos);
    }

    /** JDBC URL of the application's embedded PostgreSQL (trust authentication on 127.0.0.1). */
    public String jdbcUrl(String database) {
        try {
            List<String> pid = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
            return "jdbc:postgresql://127.0.0.1:" + pid.get(3).strip() + "/" + database + "?user=postgres";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resident memory of the application's JVM now and at its peak, in KiB ({@code VmRSS}, {@code VmHWM}). */
    public long[] residentKiB() {
        try {
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return new long[] {rss, hwm};
        } catch (IOException e) {
            return new long[] {-1, -1};
        }
    }

    /** Proportional set size of the PostgreSQL server processes together (shared buffers counted once), KiB. */
    public long postgresPssKiB() {
        long total = 0;
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            for (ProcessHandle p : all.filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(false)
                    && h.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(dataDir.toString())
                    || isChildOfPostmaster(h)).toList()) {
                List<String> rollup;
                try {
                    rollup = Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "smaps_rollup"));
                } catch (IOException gone) {
                    continue; // a backend that ended since the listing
                }
                for (String line : rollup) {
                    if (line.startsWith("Pss:")) {
                        total += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            }
        } catch (RuntimeException e) {
            return -1;
        }
        return total;
    }

    private boolean isChildOfPostmaster(ProcessHandle h) {
        return h.parent().map(parent -> parent.info().arguments().map(a -> String.join(" ", a)).orElse("")
                .contains(dataDir.toString()) && parent.info().command().map(c -> c.contains("postgres"))
                .orElse(false)).orElse(false);
    }

    /** The application's log so far. */
    public Path log() {
        return dataDir.resolve("app.log");
    }

    /** Stops the application as a service manager would (SIGTERM), and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
