package io.tokenledger.app.reliability;

import io.tokenledger.app.Api;
import io.tokenledger.app.embedded.EmbeddedDatabase;
import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The packaged application as a user runs it: its own JVM ({@code java -Xmx512m -jar tokenledger.jar}) on the
 * embedded PostgreSQL in a data directory of its own, on one port across restarts, its output in a log file per
 * start under {@code target/test-logs}, where the secrets sweep reads it. It can be killed like a crashed process
 * (SIGKILL: nothing of it runs on the way down, and its PostgreSQL is left running, as in production) and started
 * again on the same data directory, whose next start stops that orphan. Closing it stops the application and
 * whatever PostgreSQL {@code postmaster.pid} still names.
 */
public final class AppProcess implements AutoCloseable {
    static final Path LOGS = Path.of("target", "test-logs");

    private final String name;
    private final Path jar;
    private final Path dataDir;
    private final int port;
    private final List<String> args;
    private final Thread cleanUp = new Thread(this::close, "app-process-clean-up");
    private Process process;
    private int starts;

    /**
     * @param name    names the log files, {@code <name>-<n>.log}
     * @param dataDir the application's {@code tokenledger.data-dir}
     * @param args    command-line arguments besides port and data directory
     */
    public AppProcess(String name, Path jar, Path dataDir, List<String> args) {
        this.name = name;
        this.jar = jar;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.port = freePort();
        this.args = List.copyOf(args);
        // A test JVM that is itself stopped must not leave an application or a PostgreSQL behind either.
        Runtime.getRuntime().addShutdownHook(cleanUp);
    }

    /** The runnable jar the build packaged, as the reliability profile names it. */
    static Path packagedJar() {
        Path jar = Path.of(System.getProperty("tokenledger.app-jar", "target/tokenledger.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run with `mvn verify -Preliability`");
        }
        return jar;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Starts the application (again) and returns the log file it writes. */
    public synchronized Path start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
        String fsync = System.getProperty("tokenledger.embedded-postgres.fsync");
        if (fsync != null) {
            command.add("-Dtokenledger.embedded-postgres.fsync=" + fsync);
        }
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--tokenledger.data-dir=" + dataDir));
        command.addAll(args);
        try {
            Files.createDirectories(LOGS);
            Files.createDirectories(dataDir);
            Path log = LOGS.resolve(name + "-" + ++starts + ".log");
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the application answers its readiness probe (it has started), or fails once it has exited. */
    public void awaitReady(Duration bound) throws InterruptedException {
        awaitReady(bound, api -> api.get("/actuator/health/readiness", null).status() == 200 ? "ready" : null);
    }

    /**
     * Waits until the application is ready and the administrator can log in (the bootstrap administrator is
     * created once the application has started), and returns the administrator's token.
     */
    String awaitReady(Duration bound, String adminPassword) throws InterruptedException {
        return awaitReady(bound, api -> {
            if (api.get("/actuator/health/readiness", null).status() != 200) {
                return null;
            }
            Api.Response login = api.post("/api/auth/login", null,
                    Map.of("username", "admin", "password", adminPassword));
            return login.status() == 200 ? login.json().get("token").asText() : null;
        });
    }

    /** Polls {@code ready} (null: not yet) until it answers, while the application runs. */
    private String awaitReady(Duration bound, Function<Api, String> ready)
            throws InterruptedException {
        Api api = new Api(port);
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            Process current = process;
            if (!current.isAlive()) {
                throw new IllegalStateException(name + " exited with " + current.exitValue() + "; see " + LOGS);
            }
            try {
                String answer = ready.apply(api);
                if (answer != null) {
                    return answer;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " not ready within " + bound + "; see " + LOGS);
    }

    /** Kills the application's JVM with SIGKILL and waits until it is gone; its PostgreSQL keeps running. */
    synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL");
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The embedded PostgreSQL that {@code postmaster.pid} names, while that process runs. */
    Optional<ProcessHandle> postgres() {
        return EmbeddedPostgresStarter.runningOn(dataDir.resolve("postgres"));
    }

    /** A connection to the embedded PostgreSQL (on 127.0.0.1, as {@code postgres} with its generated password). */
    Connection database() throws SQLException, IOException {
        List<String> lines = postmasterPid().orElseThrow(() -> new IllegalStateException("no postmaster.pid"));
        Path postgresDir = dataDir.resolve("postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + lines.get(3) + "/postgres",
                EmbeddedDatabase.SUPERUSER, EmbeddedDatabase.readPassword(postgresDir).orElseThrow());
    }

    /** The lines of PostgreSQL's {@code postmaster.pid}, stripped: its pid first, its port fourth. */
    private Optional<List<String>> postmasterPid() {
        Path file = dataDir.resolve("postgres").resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(file).stream().map(String::strip).toList();
            return lines.size() >= 4 && lines.get(0).matches("\\d+") ? Optional.of(lines) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the application (SIGTERM, so that it closes its PostgreSQL; SIGKILL after 30 s), then any PostgreSQL
     * still running on the data directory (left by a kill, or by a stop that did not finish).
     */
    @Override
    public synchronized void close() {
        try {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            EmbeddedPostgresStarter.stopRunningOn(dataDir.resolve("postgres"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (Thread.currentThread() != cleanUp) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUp);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway, and finds nothing left to stop
            }
        }
    }
}
