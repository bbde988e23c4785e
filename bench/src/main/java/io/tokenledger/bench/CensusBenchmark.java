package io.tokenledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the database does for one command, and with nothing to do. On a quiet system: an idle window first (the
 * background every figure below is net of, and the idle target: ≤ 5 write transactions a second), then create-token
 * commands one after the other from one client, then the revocation of each of those tokens; after each batch the
 * tracking processors are awaited at the event store's head, so that their work counts for the commands that caused
 * it. Write transactions are the growth of PostgreSQL's transaction ids (an id is assigned only to a transaction
 * that writes); statements are the calls {@code pg_stat_statements} counts for the application's connections (its
 * role on its database), the harness's own queries running under a role of their own, with each transaction's
 * COMMIT, which it does not list. Targets per create-token and per revoke: ≤ 2 write transactions, ≤ 20
 * statements. The statements are printed grouped by table and one by one, as the next place to look.
 *
 * <p>The application loads {@code pg_stat_statements} when started with
 * {@code -Dtokenledger.embedded-postgres.preload=pg_stat_statements}, as {@code bench/run} starts it; without it
 * (a jar from before that option) only the transactions are counted.
 */
final class CensusBenchmark implements Scenario {
    /** The harness's own role and database: their statements are not the application's. */
    static final String ROLE = "bench_census";
    /** Transaction control and session settings: a round trip each, but no work of their own. */
    static final Pattern CONTROL = Pattern.compile(
            "(?i)^\\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SAVEPOINT|RELEASE|SET|SHOW|RESET|DISCARD)\\b.*",
            Pattern.DOTALL);
    private static final Pattern BEGIN = Pattern.compile("(?is)^\\s*(BEGIN|START TRANSACTION)\\b.*");
    private static final Pattern END = Pattern.compile("(?is)^\\s*(COMMIT|ROLLBACK|END)\\b.*");
    private static final Pattern TABLE = Pattern.compile(
            "(?is)^\\s*(?:(INSERT)\\s+INTO|(UPDATE)|(DELETE)\\s+FROM|(SELECT)\\b.*?\\bFROM|(LOCK)\\s+TABLE)"
                    + "\\s+\"?([\\w.]+)");

    @Override
    public String name() {
        return "census";
    }

    @Override
    public void run(Context c) throws Exception {
        int commands = c.size("census.commands", 20, 200);
        Duration idle = Duration.ofSeconds(c.size("census.idle", 3, 20));
        String user;
        try (Http http = c.http()) {
            user = c.createUser(http, "USER");
        }
        try (Census census = new Census(c)) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("statementsCounted", census.statements);
            census.awaitTrackingProcessors(census.head());
            census.awaitAddressesAnnounced();
            Thread.sleep(2_000);

            Snapshot before = census.snapshot();
            Thread.sleep(idle.toMillis());
            Snapshot idleDelta = census.snapshot().minus(before);
            double seconds = idleDelta.seconds();
            c.results.bounded(name(), "idle: write transactions", idleDelta.writes() / seconds, "/s", 5, false);
            if (census.statements) {
                c.results.value(name(), "  idle: statements", idleDelta.totalCalls() / seconds, "/s");
            }
            c.results.value(name(), "  idle: application CPU", idleDelta.appCpu() / seconds, "ms/s");
            c.results.value(name(), "  idle: PostgreSQL CPU", idleDelta.dbCpu() / seconds, "ms/s");
            facts.put("idle", census.describe("per second, idle", idleDelta.perSecond(), 1, "s"));

            List<String> tokens = new ArrayList<>();
            facts.put("createToken", measure(c, census, idleDelta, "create-token", commands, http -> {
                Http.Response created = c.createToken(http, user);
                if (created == null) {
                    throw new IllegalStateException("create-token failed during the census");
                }
                tokens.add(created.json().get("id").asText());
            }));
            int[] next = {0};
            facts.put("revoke", measure(c, census, idleDelta, "revoke", commands, http -> {
                if (!c.ok(http.post("/api/tokens/" + tokens.get(next[0]++) + "/revoke", c.admin,
                        Map.of("reason", "census")), 200, "revoke")) {
                    throw new IllegalStateException("revoke failed during the census");
                }
            }));
            facts.put("commands", commands);
            facts.put("idleSeconds", seconds);
            c.results.fact("census", facts);
        }
    }

    private interface Command {
        void send(Http http) throws Exception;
    }

    /** Sends the commands one after the other, waits for the tracking processors, and reports per command. */
    private Map<String, Object> measure(Context c, Census census, Snapshot idle, String command, int count,
                                        Command send) throws Exception {
        Snapshot before = census.snapshot();
        try (Http http = c.http()) {
            for (int i = 0; i < count; i++) {
                send.send(http);
            }
        }
        census.awaitTrackingProcessors(census.head());
        Snapshot delta = census.snapshot().minus(before);
        // Net of the background: what the same time idle did.
        Snapshot net = delta.minus(idle.scaled(delta.seconds() / idle.seconds()));
        c.results.bounded(name(), command + ": write transactions each", net.writes() / (double) count, "", 2, false);
        if (census.statements) {
            double control = net.control() / count;
            c.results.bounded(name(), "  statements each, BEGIN and COMMIT included",
                    (net.calls(false) + net.control()) / count, "", 20, false);
            c.results.value(name(), "  of which BEGIN and COMMIT", control, "");
        }
        c.results.value(name(), "  application CPU each", net.appCpu() / count, "ms");
        c.results.value(name(), "  PostgreSQL CPU each", net.dbCpu() / count, "ms");
        Map<String, Object> described = census.describe("per " + command + ", net of the idle background", net,
                count, "");
        described.put("writeTransactions", net.writes() / (double) count);
        described.put("seconds", delta.seconds());
        return described;
    }

    /** The counters at one moment, or their difference over a time. */
    record Snapshot(double nanos, double writes, double appCpu, double dbCpu, Map<Long, Stat> stats) {
        double seconds() {
            return nanos / 1e9;
        }

        Snapshot minus(Snapshot earlier) {
            Map<Long, Stat> difference = new HashMap<>(stats);
            earlier.stats.forEach((id, stat) -> difference.merge(id, stat.times(-1), Stat::plus));
            return new Snapshot(nanos - earlier.nanos, writes - earlier.writes, appCpu - earlier.appCpu,
                    dbCpu - earlier.dbCpu, difference);
        }

        Snapshot scaled(double factor) {
            Map<Long, Stat> scaled = new HashMap<>();
            stats.forEach((id, stat) -> scaled.put(id, stat.times(factor)));
            return new Snapshot(nanos * factor, writes * factor, appCpu * factor, dbCpu * factor, scaled);
        }

        Snapshot perSecond() {
            return scaled(1 / seconds());
        }

        double totalCalls() {
            return stats.values().stream().mapToDouble(Stat::calls).sum();
        }

        /** Calls of transaction control statements, or of all others. */
        double calls(boolean control) {
            return stats.values().stream().filter(s -> CONTROL.matcher(s.query()).matches() == control)
                    .mapToDouble(Stat::calls).sum();
        }

        /**
         * Transaction control statements, each transaction's end included: pg_stat_statements (PostgreSQL 17) lists
         * the BEGIN the driver sends but not the COMMIT, and every transaction begun ends in one.
         */
        double control() {
            double ends = stats.values().stream().filter(s -> END.matcher(s.query()).matches())
                    .mapToDouble(Stat::calls).sum();
            double begins = stats.values().stream().filter(s -> BEGIN.matcher(s.query()).matches())
                    .mapToDouble(Stat::calls).sum();
            return calls(true) + (ends == 0 ? begins : 0);
        }
    }

    /**
     * One statement of {@code pg_stat_statements}: its text, calls, rows (changed or returned), and the time
     * PostgreSQL spent executing it (planning excluded), in milliseconds.
     */
    record Stat(String query, double calls, double rows, double millis) {
        Stat times(double factor) {
            return new Stat(query, calls * factor, rows * factor, millis * factor);
        }

        Stat plus(Stat other) {
            return new Stat(query, calls + other.calls, rows + other.rows, millis + other.millis);
        }
    }

    /** The harness's connections for the census, under a role of its own. */
    private static final class Census implements AutoCloseable {
        private final Context c;
        private final Connection stats;
        private final Connection app;
        final boolean statements;

        Census(Context c) throws SQLException {
            this.c = c;
            try (Connection db = c.database(); Statement ddl = db.createStatement()) {
                ddl.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "') THEN"
                        + " CREATE ROLE " + ROLE + " LOGIN SUPERUSER; END IF; END $$");
                // the same password as the application's: the embedded server requires one of every connection
                ddl.execute("ALTER ROLE " + ROLE + " PASSWORD '" + c.server.databasePassword() + "'");
                try (ResultSet rs = ddl.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + ROLE + "'")) {
                    if (!rs.next()) {
                        // The extension's view lives in a database of its own, not in the application's schema.
                        ddl.execute("CREATE DATABASE " + ROLE);
                    }
                }
            }
            stats = DriverManager.getConnection(url(ROLE));
            app = DriverManager.getConnection(url("postgres"));
            boolean loaded;
            try (Statement select = stats.createStatement()) {
                select.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                select.executeQuery("SELECT count(*) FROM pg_stat_statements").close();
                loaded = true;
            } catch (SQLException e) {
                System.out.println("  pg_stat_statements is not loaded (" + e.getMessage().lines().findFirst()
                        .orElse("") + "): statements are not counted");
                loaded = false;
            }
            statements = loaded;
        }

        private String url(String database) {
            return c.server.jdbcUrl(database).replace("user=postgres", "user=" + ROLE);
        }

        Snapshot snapshot() throws SQLException {
            Map<Long, Stat> calls = new HashMap<>();
            long nanos = System.nanoTime();
            long appCpu = c.server.cpuMillis();
            long dbCpu = c.server.postgresCpuMillis();
            long xid;
            try (Statement select = stats.createStatement()) {
                try (ResultSet rs = select.executeQuery(
                        "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")) {
                    rs.next();
                    xid = rs.getLong(1);
                }
                if (statements) {
                    try (ResultSet rs = select.executeQuery("""
                            SELECT queryid, query, calls, rows, total_exec_time FROM pg_stat_statements
                            WHERE userid = (SELECT oid FROM pg_roles WHERE rolname = 'postgres')
                              AND dbid = (SELECT oid FROM pg_database WHERE datname = 'postgres')""")) {
                        while (rs.next()) {
                            calls.merge(rs.getLong(1), new Stat(rs.getString(2), rs.getLong(3), rs.getLong(4),
                                    rs.getDouble(5)),
                                    Stat::plus);
                        }
                    }
                }
            }
            return new Snapshot(nanos, xid, appCpu, dbCpu, calls);
        }

        /** The newest event's global index. */
        long head() throws SQLException {
            try (Statement select = app.createStatement();
                 ResultSet rs = select.executeQuery("SELECT coalesce(max(global_index), 0) FROM domain_event_entry")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        /**
         * Waits until every stored processor token (every segment of every tracking processor) is at the head,
         * reading the token store directly: polling the application's own endpoint would add its statements to the
         * census.
         */
        void awaitTrackingProcessors(long head) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Map<String, Long> behind = new TreeMap<>();
            while (System.nanoTime() < deadline) {
                behind.clear();
                try (Statement select = app.createStatement();
                     ResultSet rs = select.executeQuery("SELECT processor_name, segment, token FROM token_entry")) {
                    while (rs.next()) {
                        byte[] token = rs.getBytes(3);
                        long position = token == null ? Long.MAX_VALUE : position(Http.JSON.readTree(token));
                        if (position < head) {
                            behind.put(rs.getString(1) + "/" + rs.getInt(2), position);
                        }
                    }
                }
                if (behind.isEmpty()) {
                    return;
                }
                Thread.sleep(50);
            }
            System.out.println("  not every tracking processor reached event " + head + " within 60 s: " + behind
                    + "; counting without the rest");
        }

        /**
         * Waits until every address a token was newly seen used from has been told to its token: the warm-up uses
         * thousands of new tokens, each from a new address, and the announcing task works through them (a command
         * each) for a while after; that is catching up, not the idle background. Prints how long it took.
         */
        void awaitAddressesAnnounced() throws Exception {
            long start = System.nanoTime();
            long deadline = start + Duration.ofMinutes(10).toNanos();
            long first = -1;
            while (true) {
                long waiting;
                try (Statement select = app.createStatement();
                     ResultSet rs = select.executeQuery("SELECT count(*) FROM token_address WHERE NOT announced")) {
                    rs.next();
                    waiting = rs.getLong(1);
                }
                first = first < 0 ? waiting : first;
                if (waiting == 0) {
                    if (first > 0) {
                        System.out.printf("  waited %.1f s for %,d new addresses to be announced%n",
                                (System.nanoTime() - start) / 1e9, first);
                    }
                    return;
                }
                if (System.nanoTime() > deadline) {
                    System.out.println("  " + waiting + " new addresses still unannounced after 10 min; counting anyway");
                    return;
                }
                Thread.sleep(200);
            }
        }

        /** The position of a stored token: its index, or that of the current token of a replay. */
        private static long position(JsonNode token) {
            JsonNode current = token.get("currentToken");
            if (current != null && !current.isNull()) {
                return position(current);
            }
            JsonNode index = token.findValue("index");
            return index == null ? Long.MAX_VALUE : index.asLong();
        }

        /**
         * Prints the statements by table and one by one, largest first, per {@code count} commands (or per second),
         * and returns them for the results file.
         */
        Map<String, Object> describe(String title, Snapshot net, int count, String unit) {
            Map<String, Object> described = new LinkedHashMap<>();
            if (!statements) {
                return described;
            }
            // The same text may have several entries (one per plan the driver prepared): one line each text.
            Map<String, Stat> byText = new HashMap<>();
            net.stats().values().forEach(s -> byText.merge(s.query().replaceAll("\\s+", " ").strip(),
                    s.times(1.0 / count), Stat::plus));
            List<Stat> all = byText.values().stream().filter(s -> Math.abs(s.calls()) >= 0.005)
                    .sorted(Comparator.comparingDouble(Stat::calls).reversed()).toList();
            Map<String, Double> byTable = new TreeMap<>();
            for (Stat stat : all) {
                byTable.merge(table(stat.query()), stat.calls(), Double::sum);
            }
            double unlisted = (net.control() - net.calls(true)) / count;
            if (unlisted != 0) {
                byTable.put("COMMIT (transaction control; not listed, one per BEGIN)", unlisted);
            }
            List<Map.Entry<String, Double>> tables = byTable.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
            String per = unit.isEmpty() ? "" : "/" + unit;
            System.out.printf(Locale.ROOT, "  statements %s, by table:%n", title);
            for (Map.Entry<String, Double> table : tables) {
                if (table.getValue() >= 0.005) {
                    System.out.printf(Locale.ROOT, "    %7.2f%s  %s%n", table.getValue(), per, table.getKey());
                }
            }
            System.out.println("    one by one (calls, rows per call, µs executing per call, statement):");
            List<Map<String, Object>> list = new ArrayList<>();
            for (Stat stat : all) {
                String query = stat.query().replaceAll("\\s+", " ").strip();
                double rowsPerCall = stat.calls() == 0 ? 0 : stat.rows() / stat.calls();
                double microsPerCall = stat.calls() == 0 ? 0 : 1000 * stat.millis() / stat.calls();
                if (list.size() < 30 && stat.calls() >= 0.05) {
                    System.out.printf(Locale.ROOT, "    %7.2f%s %7.2f %7.1f  %s%n", stat.calls(), per, rowsPerCall,
                            microsPerCall, query.length() > 140 ? query.substring(0, 140) + "…" : query);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("calls", stat.calls());
                row.put("rowsPerCall", rowsPerCall);
                row.put("microsPerCall", microsPerCall);
                row.put("query", query);
                list.add(row);
            }
            Map<String, Double> tableCalls = new LinkedHashMap<>();
            tables.forEach(e -> tableCalls.put(e.getKey(), e.getValue()));
            described.put("byTable", tableCalls);
            described.put("statements", list);
            return described;
        }

        /** What a statement does to which table ("INSERT token_view"), or its first word. */
        static String table(String query) {
            Matcher m = TABLE.matcher(query);
            if (m.find()) {
                for (int g = 1; g <= 5; g++) {
                    if (m.group(g) != null) {
                        return m.group(g).toUpperCase(Locale.ROOT) + " " + m.group(6).toLowerCase(Locale.ROOT);
                    }
                }
            }
            String first = query.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            return CONTROL.matcher(query).matches() ? first + " (transaction control)" : first;
        }

        @Override
        public void close() throws SQLException {
            stats.close();
            app.close();
        }
    }
}
