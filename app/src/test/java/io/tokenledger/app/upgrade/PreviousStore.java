package io.tokenledger.app.upgrade;

import static io.tokenledger.app.IntegrationTest.EMBEDDED_POSTGRES;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tokenledger.app.embedded.EmbeddedDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;

/**
 * The store of a previous version, as {@link StoreFixture} exported it to {@code src/test/resources/upgrade/<commit>}:
 * the rows of every table of schema {@code public} in PostgreSQL's {@code COPY} text format, and a manifest of what
 * the previous version was made to write (users, tokens and their plaintexts, events, deadlines, processor positions).
 *
 * <p>{@link #loadInto(Path)} rebuilds that store in a fresh data directory, so that the current application can be
 * started on it as on a production database written by the previous version. The schema is built by this source
 * tree's migrations up to the version the data was written under, never further: the application itself must take
 * the store from there, as it would in production. Flyway's history is then replaced by the exported one, so that
 * the application validates exactly what the previous version had recorded (an applied migration edited since fails
 * that validation, as it would on a real upgrade).
 */
public final class PreviousStore {
    static final String RESOURCES = "upgrade";
    static final String MANIFEST = "manifest.json";
    static final String HISTORY_TABLE = "flyway_schema_history";

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What the fixture holds and what the previous version was made to do to write it.
     *
     * @param commit          the previous version's commit
     * @param versions        the previous version's platform, for the reader
     * @param flywayVersion   the schema version the data was written under
     * @param writtenAt       when the previous version was driven
     * @param stoppedAt       when it was stopped: deadlines due later than this had not fired
     * @param headGlobalIndex the event store's highest global index
     * @param eventsByType    number of stored events of each payload type (simple name)
     * @param tables          in load order
     * @param users           every user, the bootstrap administrator included
     * @param tokens          every token, login sessions included
     * @param processors      the stored position of every processor segment
     */
    public record Manifest(String commit, String versions, String flywayVersion, Instant writtenAt, Instant stoppedAt,
                           String adminUsername, String adminPassword, long headGlobalIndex,
                           Map<String, Long> eventsByType, List<Table> tables, List<User> users, List<Token> tokens,
                           List<ProcessorSegment> processors) {

        public Table table(String name) {
            return tables.stream().filter(t -> t.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no table " + name + " in the fixture"));
        }

        public Token token(String role) {
            return tokens.stream().filter(t -> role.equals(t.role())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no token of role " + role + " in the fixture"));
        }
    }

    /**
     * One exported table.
     *
     * @param columns  the columns in the order of the file's fields
     * @param sequence the sequence behind its serial column, if it has one
     */
    public record Table(String name, String file, List<String> columns, long rows, Sequence sequence) {
    }

    /** A sequence's state, for {@code setval(name, value, called)}. */
    public record Sequence(String name, long value, boolean called) {
    }

    /** A user as the previous version listed it, with the password it was created with. */
    public record User(String id, String username, String email, String role, boolean enabled, String password) {
    }

    /**
     * A token as the previous version listed it when it was stopped.
     *
     * @param role      what the token is in the fixture ({@code revoke-target}, {@code expires-while-down}, ...)
     * @param status    its status then; a token past its expiry since reads {@code EXPIRED}
     * @param plaintext its secret, which only this fixture knows (the store keeps its hash)
     * @param events    the payload types of its events, in its stream's order
     */
    public record Token(String id, String role, String kind, String name, String userId, String status,
                        Instant createdAt, Instant expiresAt, String revokeReason, String replacedBy, String plaintext,
                        List<String> events) {

        /** Its status at the given instant, had nothing been done to it since the fixture was written. */
        public String statusAt(Instant now) {
            return "ACTIVE".equals(status) && !now.isBefore(expiresAt) ? "EXPIRED" : status;
        }

        @Override
        public String toString() {
            return "Token[" + role + " " + name + " " + id + "]"; // never the plaintext
        }
    }

    /**
     * A processor segment's stored token.
     *
     * @param position the global index it had handled every event up to (a gap-aware token without gaps, or a global
     *                 sequence token); null for any other token
     */
    public record ProcessorSegment(String processor, int segment, String tokenType, Long position) {
    }

    private final Manifest manifest;

    private PreviousStore(Manifest manifest) {
        this.manifest = manifest;
    }

    /** The fixture of the given previous commit, from the test classpath. */
    public static PreviousStore of(String commit) {
        try (InputStream in = resource(commit, MANIFEST)) {
            return new PreviousStore(JSON.readValue(in, Manifest.class));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable manifest of fixture " + commit, e);
        }
    }

    public Manifest manifest() {
        return manifest;
    }

    /**
     * Rebuilds the store in {@code dataDir}/postgres, where the application's embedded PostgreSQL keeps its data,
     * and stops PostgreSQL again so that the application can start its own on it.
     */
    public void loadInto(Path dataDir) {
        Path postgresDir = dataDir.toAbsolutePath().normalize().resolve("postgres");
        try {
            Files.createDirectories(postgresDir);
            try (EmbeddedDatabase postgres = EmbeddedDatabase.open(postgresDir, EMBEDDED_POSTGRES)) {
                DataSource database = postgres.dataSource("postgres");
                Flyway.configure().dataSource(database).locations("classpath:db/migration")
                        .target(manifest.flywayVersion()).load().migrate();
                try (Connection c = database.getConnection()) {
                    load(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not load fixture " + manifest.commit() + " into " + postgresDir, e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not load fixture " + manifest.commit() + ": " + e.getMessage(), e);
        }
    }

    /** Every table's rows, in one transaction, with triggers and foreign keys out of the way. */
    private void load(Connection c) throws SQLException, IOException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
        }
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        for (Table table : manifest.tables()) {
            String name = quote(table.name());
            try (Statement s = c.createStatement()) {
                // Flyway's own rows (and anything a migration may seed) give way to what the previous version had.
                s.execute("TRUNCATE " + name);
            }
            String columns = String.join(", ", table.columns().stream().map(PreviousStore::quote).toList());
            try (InputStream in = new GZIPInputStream(resource(manifest.commit(), table.file()))) {
                long rows = copy.copyIn("COPY " + name + " (" + columns + ") FROM STDIN", in);
                if (rows != table.rows()) {
                    throw new IllegalStateException(table.name() + ": " + rows + " rows loaded, the manifest says "
                            + table.rows());
                }
            }
            if (table.sequence() != null) {
                try (PreparedStatement setval = c.prepareStatement("SELECT setval(?::regclass, ?, ?)")) {
                    setval.setString(1, table.sequence().name());
                    setval.setLong(2, table.sequence().value());
                    setval.setBoolean(3, table.sequence().called());
                    setval.execute();
                }
            }
        }
        c.commit();
    }

    /**
     * The rows of an exported table as the previous version left them, each column's value in PostgreSQL's text
     * form (a bytea as {@code \x} and hex digits), null for SQL NULL.
     */
    public List<Map<String, String>> rows(String tableName) {
        Table table = manifest.table(tableName);
        try (InputStream in = new GZIPInputStream(resource(manifest.commit(), table.file()))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < fields.length; i++) {
                    row.put(table.columns().get(i), fields[i].equals("\\N") ? null : unescape(fields[i]));
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field of COPY's text format, its backslash escapes resolved (the octal and hex forms are not written). */
    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch != '\\' || i + 1 == field.length()) {
                out.append(ch);
                continue;
            }
            char next = field.charAt(++i);
            out.append(switch (next) {
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'v' -> '\u000b';
                default -> next;
            });
        }
        return out.toString();
    }

    private static InputStream resource(String commit, String file) {
        String path = "/" + RESOURCES + "/" + commit + "/" + file;
        InputStream in = PreviousStore.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is not on the test classpath");
        }
        return in;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
