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
            try {
                server.awaitHealthy(Duration.ofMinutes(3));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
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

    /**
     * JDBC URL of the application's embedded PostgreSQL on 127.0.0.1, as its superuser with the password the
     * application generated at its first start (kept in the data directory's {@code postgres-password}).
     */
    public String jdbcUrl(String database) {
        try {
            return "jdbc:postgresql://127.0.0.1:" + postmasterPid().get(3) + "/" + database + "?user=postgres&password="
                    + databasePassword();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The embedded PostgreSQL's password (base64url: nothing to escape in a URL or a quoted SQL literal). */
    public String databasePassword() {
        try {
            return Files.readString(dataDir.resolve("postgres-password")).strip();
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
        for (long pid : postgresPids()) {
            total += procField(pid, "smaps_rollup", "Pss:");
        }
        return total;
    }

    /** CPU time the application's JVM has used so far (user and system), in milliseconds. */
    public long cpuMillis() {
        return cpuMillis(process.pid(), false);
    }

    /**
     * CPU time the PostgreSQL server has used so far, in milliseconds: its running processes, and the
     * backends that have exited (counted in the postmaster's children's times).
     */
    public long postgresCpuMillis() {
        List<Long> pids = postgresPids();
        long total = pids.isEmpty() ? 0 : cpuMillis(pids.get(0), true);
        for (long pid : pids.subList(Math.min(1, pids.size()), pids.size())) {
            total += cpuMillis(pid, false);
        }
        return total;
    }

    /** The lines of PostgreSQL's {@code postmaster.pid}, stripped: its pid first, its port fourth. */
    private List<String> postmasterPid() throws IOException {
        return Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).stream().map(String::strip)
                .toList();
    }

    /** The postmaster (from its {@code postmaster.pid}) and its children. */
    private List<Long> postgresPids() {
        try {
            long postmaster = Long.parseLong(postmasterPid().get(0));
            List<Long> pids = new ArrayList<>();
            pids.add(postmaster);
            ProcessHandle.of(postmaster).ifPresent(p -> p.children().forEach(child -> pids.add(child.pid())));
            return pids;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * utime + stime of /proc/pid/stat (fields 14 and 15, in clock ticks of 10 ms), with those of its exited
     * children (16 and 17) if asked.
     */
    private static long cpuMillis(long pid, boolean withExitedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (withExitedChildren) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return ticks * 10;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long procField(long pid, String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has gone
        }
        return 0;
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
