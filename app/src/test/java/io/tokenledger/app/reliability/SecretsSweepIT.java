package io.tokenledger.app.reliability;

import static io.tokenledger.app.IntegrationTest.EMBEDDED_POSTGRES;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.IssuedSecrets;
import io.tokenledger.app.embedded.EmbeddedDatabase;
import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test of the build (its own failsafe execution): every plaintext token, client secret and
 * webhook signing secret the suite was shown (recorded by {@link IssuedSecrets}) is searched for in every log line the suite wrote and in every row
 * of every table of every PostgreSQL data directory it left behind — the shared test database, the cluster's,
 * the restarted ones', the killed instances'. Zero hits, of a whole token or of its 32 random characters; and
 * no well-formed token of any origin (a browser test's cookie, a process's output) may appear either.
 */
class SecretsSweepIT {
    private static final Path TARGET = Path.of("target");
    private static final Pattern ALNUM_RUN = Pattern.compile("[0-9A-Za-z]{32,}");
    /** The base64 of 32 bytes, as a webhook secret carries its key. */
    private static final Pattern BASE64_KEY = Pattern.compile("(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=");

    @Test
    void noPlaintextTokenInAnyTableOrLogLine() throws Exception {
        Set<String> secrets = IssuedSecrets.all();
        assertThat(secrets).as("plaintexts recorded by the suite in " + IssuedSecrets.FILE).hasSizeGreaterThan(20);
        Finder finder = new Finder(secrets);

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("plaintextsSearched", secrets.size());
        long webhookSecrets = secrets.stream().filter(s -> IssuedSecrets.WEBHOOK_SECRET.matcher(s).matches()).count();
        assertThat(webhookSecrets).as("webhook signing secrets recorded by the suite").isPositive();
        figures.put("webhookSecretsSearched", webhookSecrets);
        List<String> hits = new ArrayList<>();

        // the embedded PostgreSQL's generated passwords are never logged either
        Map<String, Path> databasePasswords = new HashMap<>();
        for (Path dir : dataDirectories()) {
            EmbeddedDatabase.readPassword(dir).ifPresent(password -> databasePasswords.put(password, dir));
        }
        assertThat(databasePasswords).as("passwords of the embedded PostgreSQL data directories").isNotEmpty();
        figures.put("databasePasswordsSearched", databasePasswords.size());

        long logLines = 0;
        long logBytes = 0;
        List<Path> logs = logFiles();
        assertThat(logs).as("log files of the suite").isNotEmpty();
        for (Path log : logs) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                logBytes += line.length() + 1;
                for (String hit : finder.find(line)) {
                    hits.add(TARGET.relativize(log) + ":" + (i + 1) + " holds " + hit);
                }
                for (Map.Entry<String, Path> password : databasePasswords.entrySet()) {
                    if (line.contains(password.getKey())) {
                        hits.add(TARGET.relativize(log) + ":" + (i + 1) + " holds the database password of "
                                + TARGET.relativize(password.getValue()));
                    }
                }
            }
            logLines += lines.size();
        }
        assertThat(logLines).as("log lines").isGreaterThan(1000);
        figures.put("logFiles", logs.size());
        figures.put("logLines", logLines);
        figures.put("logBytes", logBytes);

        List<Path> dataDirs = dataDirectories();
        assertThat(dataDirs).as("PostgreSQL data directories").isNotEmpty();
        Dump total = new Dump();
        for (Path dir : dataDirs) {
            total.add(dump(dir, finder, hits));
        }
        assertThat(total.events).as("events searched").isPositive();
        figures.put("dataDirectories", dataDirs.size());
        figures.put("databases", total.databases);
        figures.put("tables", total.tables);
        figures.put("rows", total.rows);
        figures.put("events", total.events);
        figures.put("dumpBytes", total.bytes);
        figures.put("hits", hits.size());
        Figures.write("secrets-sweep", figures);

        assertThat(hits).as("places holding a token's plaintext (%s)", figures).isEmpty();
    }

    /** Finds the recorded plaintexts, their random parts, and any other well-formed token, in a text. */
    static final class Finder {
        private final Set<String> secrets;
        private final Map<String, String> byRandomPart = new HashMap<>();

        /** Webhook secrets by their base64 part (the HMAC key's encoding, however a leak would print it). */
        private final Map<String, String> webhookSecrets = new HashMap<>();

        Finder(Set<String> secrets) {
            this.secrets = secrets;
            for (String s : secrets) {
                Matcher webhook = IssuedSecrets.WEBHOOK_SECRET.matcher(s);
                if (webhook.matches()) {
                    webhookSecrets.put(webhook.group(1), s);
                } else {
                    byRandomPart.put(s.substring(4, 36), s);
                }
            }
        }

        List<String> find(String text) {
            List<String> found = new ArrayList<>();
            Matcher token = IssuedSecrets.SHAPE.matcher(text);
            while (token.find()) {
                String t = token.group();
                if (secrets.contains(t)) {
                    found.add("the plaintext " + mask(t));
                } else if (IssuedSecrets.isWellFormed(t)) {
                    found.add("a well-formed token or client secret " + mask(t));
                }
            }
            Matcher base64 = BASE64_KEY.matcher(text);
            while (base64.find()) {
                String secret = webhookSecrets.get(base64.group());
                if (secret != null) {
                    found.add("the webhook secret " + mask(secret));
                } else if (base64.start() >= 6 && text.startsWith("whsec_", base64.start() - 6)) {
                    found.add("a well-formed webhook secret " + mask(text.substring(base64.start() - 6)));
                }
            }
            Matcher run = ALNUM_RUN.matcher(text);
            while (run.find()) {
                String r = run.group();
                for (int i = 0; i + 32 <= r.length(); i++) {
                    String secret = byRandomPart.get(r.substring(i, i + 32));
                    if (secret != null && !text.contains(secret)) {
                        found.add("the random part of " + mask(secret));
                    }
                }
            }
            return found;
        }

        /** Enough to find the token or secret in the recorded list, not enough to use it. */
        private static String mask(String token) {
            return token.substring(0, token.startsWith("whsec_") ? 10 : 8) + "…";
        }
    }

    private static List<Path> logFiles() throws IOException {
        List<Path> logs = new ArrayList<>();
        for (Path dir : List.of(TARGET.resolve("test-logs"), TARGET.resolve("surefire-reports"),
                TARGET.resolve("failsafe-reports"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".log") || p.toString().endsWith("-output.txt"))
                        // the list of plaintexts itself, and this test's own output
                        .filter(p -> !p.equals(IssuedSecrets.FILE) && !p.getFileName().toString().contains("SecretsSweepIT"))
                        .forEach(logs::add);
            }
        }
        return logs;
    }

    /** Every PostgreSQL data directory under target/ (a directory holding PG_VERSION and postgresql.conf). */
    private static List<Path> dataDirectories() throws IOException {
        try (Stream<Path> files = Files.walk(TARGET, 6)) {
            return files.filter(p -> p.getFileName().toString().equals("PG_VERSION"))
                    .map(Path::getParent)
                    .filter(dir -> Files.exists(dir.resolve("postgresql.conf")))
                    .sorted().toList();
        }
    }

    private static final class Dump {
        long databases;
        long tables;
        long rows;
        long events;
        long bytes;

        void add(Dump other) {
            databases += other.databases;
            tables += other.tables;
            rows += other.rows;
            events += other.events;
            bytes += other.bytes;
        }
    }

    /** Starts PostgreSQL on the directory (stopping a server some killed process left on it) and reads it all. */
    private static Dump dump(Path dir, Finder finder, List<String> hits) throws Exception {
        // a server that a killed process left running holds the directory
        EmbeddedPostgresStarter.stopRunningOn(dir);
        Dump dump = new Dump();
        try (EmbeddedDatabase postgres = EmbeddedDatabase.open(dir, EMBEDDED_POSTGRES)) {
            List<String> databases = new ArrayList<>();
            try (Connection c = postgres.dataSource("postgres").getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE NOT datistemplate")) {
                while (rs.next()) {
                    databases.add(rs.getString(1));
                }
            }
            for (String database : databases) {
                dump.databases++;
                try (Connection c = postgres.dataSource(database).getConnection()) {
                    dumpDatabase(c, TARGET.relativize(dir) + "/" + database, finder, hits, dump);
                }
            }
        }
        return dump;
    }

    private static void dumpDatabase(Connection c, String where, Finder finder, List<String> hits, Dump dump)
            throws SQLException {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT t.table_schema, t.table_name, c.column_name
                FROM information_schema.tables t
                LEFT JOIN information_schema.columns c
                  ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.data_type = 'bytea'
                WHERE t.table_type = 'BASE TABLE'
                  AND t.table_schema NOT IN ('pg_catalog', 'information_schema')""")) {
            while (rs.next()) {
                List<String> bytea = tables.computeIfAbsent(quote(rs.getString(1)) + "." + quote(rs.getString(2)),
                        k -> new ArrayList<>());
                if (rs.getString(3) != null) {
                    bytea.add(quote(rs.getString(3)));
                }
            }
        }
        for (Map.Entry<String, List<String>> table : tables.entrySet()) {
            dump.tables++;
            // The row as text, then each bytea column (event payloads and metadata) decoded: 'escape' keeps
            // printable ASCII as it is, so a plaintext inside serialized bytes reads as itself.
            StringBuilder select = new StringBuilder("SELECT t::text");
            table.getValue().forEach(col -> select.append(", encode(t.").append(col).append(", 'escape')"));
            select.append(" FROM ").append(table.getKey()).append(" t");
            c.setAutoCommit(false); // a cursor, not the whole table in memory
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery(select.toString())) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        dump.rows++;
                        for (int i = 1; i <= columns; i++) {
                            String text = rs.getString(i);
                            if (text == null) {
                                continue;
                            }
                            dump.bytes += text.length();
                            for (String hit : finder.find(text)) {
                                hits.add(where + " table " + table.getKey() + " holds " + hit);
                            }
                        }
                    }
                }
            } finally {
                c.commit();
            }
            if (table.getKey().endsWith(".\"domain_event_entry\"")) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.getKey())) {
                    rs.next();
                    dump.events += rs.getLong(1);
                }
            }
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
