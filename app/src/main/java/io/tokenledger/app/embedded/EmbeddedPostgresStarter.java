package io.tokenledger.app.embedded;

import io.tokenledger.app.config.TokenLedgerProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The embedded default: when no {@code spring.datasource.url} is configured, starts PostgreSQL 17 from
 * Maven-shipped binaries with its data under {@code tokenledger.data-dir}/postgres ({@link EmbeddedDatabase}: loopback
 * only, a generated password required) and points Spring's (HikariCP) datasource at it. One server per data
 * directory and JVM, so test contexts share it; it stops when the JVM shuts down, after the last application context
 * has closed.
 */
public class EmbeddedPostgresStarter implements EnvironmentPostProcessor, Ordered {
    private static final Map<Path, EmbeddedDatabase> RUNNING = new ConcurrentHashMap<>();

    private final Log log;

    public EmbeddedPostgresStarter(DeferredLogFactory logs) {
        this.log = logs.getLog(EmbeddedPostgresStarter.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        TokenLedgerProperties properties = TokenLedgerProperties.bind(env);
        if (StringUtils.hasText(env.getProperty("spring.datasource.url")) || !properties.embeddedPostgres().enabled()) {
            return;
        }
        Path dir = properties.dataDir().toAbsolutePath().normalize().resolve("postgres");
        EmbeddedDatabase postgres = RUNNING.computeIfAbsent(dir, d -> start(d, properties.embeddedPostgres()));
        Map<String, Object> props = new HashMap<>();
        props.put("spring.datasource.url", postgres.jdbcUrl("postgres"));
        props.put("spring.datasource.username", EmbeddedDatabase.SUPERUSER);
        props.put("spring.datasource.password", postgres.password());
        env.getPropertySources().addFirst(new MapPropertySource("embeddedPostgres", props));
    }

    /** Stops the server of that data directory, if this JVM runs one; the next context start restarts it. */
    public static void stop(Path dataDir) throws IOException {
        EmbeddedDatabase postgres = RUNNING.remove(dataDir.toAbsolutePath().normalize().resolve("postgres"));
        if (postgres != null) {
            postgres.close();
        }
    }

    private EmbeddedDatabase start(Path dir, TokenLedgerProperties.EmbeddedPostgres settings) {
        try {
            Files.createDirectories(dir);
            stopOrphan(dir);
            log.warn("""

                    ==================================================================
                      EMBEDDED POSTGRESQL: for trying Token Ledger out, not for production.
                      It runs inside this process with its data in %s;
                      it has no backups, no replicas and stops with the application.
                      Run PostgreSQL 15 or later and set SPRING_DATASOURCE_URL,
                      SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD
                      (README, Deployment; the prod profile requires it).
                    ==================================================================""".formatted(dir));
            EmbeddedDatabase postgres = EmbeddedDatabase.open(dir, settings);
            // After every application context has closed: processors release their claims on the way down.
            SpringApplication.getShutdownHandlers().add(() -> {
                try {
                    stop(dir.getParent());
                } catch (IOException e) {
                    log.warn("Stopping embedded PostgreSQL failed: " + e.getMessage());
                }
            });
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dir, e);
        }
    }

    /** A server left running by a process that was killed holds the data directory: stop it first. */
    private void stopOrphan(Path dir) {
        runningOn(dir).ifPresent(orphan -> {
            log.warn("Stopping PostgreSQL " + orphan.pid() + " left running on " + dir);
            stop(orphan);
        });
    }

    /** The PostgreSQL server that the directory's {@code postmaster.pid} names, while it runs. */
    public static Optional<ProcessHandle> runningOn(Path postgresDir) {
        Path pidFile = postgresDir.resolve("postmaster.pid");
        try {
            return Files.readAllLines(pidFile).stream().findFirst().map(String::strip).filter(s -> s.matches("\\d+"))
                    .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
                    .filter(p -> p.isAlive() && p.info().command().map(c -> c.contains("postgres")).orElse(false));
        } catch (IOException e) {
            return Optional.empty(); // no server has the directory
        }
    }

    /**
     * Stops whatever PostgreSQL server runs on the directory (a smart shutdown; killed after 30 s), as the start
     * does for a server a killed process left behind.
     */
    public static void stopRunningOn(Path postgresDir) {
        runningOn(postgresDir).ifPresent(EmbeddedPostgresStarter::stop);
    }

    private static void stop(ProcessHandle server) {
        server.destroy();
        try {
            server.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            server.destroyForcibly();
        }
    }
}
