package io.tokenledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** What a scenario works with: the running application, its PostgreSQL, the results, the run's sizes. */
public final class Context {
    private static final AtomicLong NAMES = new AtomicLong();
    private static final AtomicLong SHOWN = new AtomicLong();

    final Server server;
    final Results results;
    final boolean smoke;
    final String admin;

    Context(Server server, Results results, boolean smoke) {
        this.server = server;
        this.results = results;
        this.smoke = smoke;
        try (Http http = http()) {
            Http.Response login = http.post("/api/auth/login", null,
                    Map.of("username", "admin", "password", Server.ADMIN_PASSWORD));
            if (login.status() != 200) {
                throw new IllegalStateException("admin login: " + login.status() + " " + login.text());
            }
            this.admin = login.json().get("token").asText();
        }
    }

    /** A new keep-alive connection to the application. */
    public Http http() {
        return new Http(server.port());
    }

    /** A new connection to the application's own database, on the same PostgreSQL server. */
    public Connection database() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl("postgres"));
    }

    /** A PostgreSQL setting as a new connection of the application's role sees it. */
    public String setting(String name) throws SQLException {
        try (Connection db = database(); PreparedStatement select = db.prepareStatement(
                "SELECT setting FROM pg_settings WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * A size of the run: {@code --name=value} on the command line, else the default of the mode. Smaller sizes
     * make a quicker run; the table says which sizes were used.
     */
    public int size(String name, int smokeDefault, int fullDefault) {
        int value = Integer.getInteger("bench." + name, smoke ? smokeDefault : fullDefault);
        results.fact(name, value);
        return value;
    }

    /** Warm-up before a measured load. */
    public Duration warmUp() {
        return Duration.ofMillis(smoke ? 300 : 3_000);
    }

    /** Length of a measured load. */
    public Duration measured() {
        return Duration.ofMillis(smoke ? 1_000 : 10_000);
    }

    /** Creates a user with the role and returns its id. */
    public String createUser(Http http, String role) {
        return createUser(http, role, "bench-" + role.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Creates a user with the role and username (also the local part of its e-mail address); returns its id. */
    public String createUser(Http http, String role, String name) {
        Http.Response created = http.post("/api/users", admin, Map.of("username", name, "email", name + "@example.com",
                "displayName", name, "role", role, "password", "bench-password-1"));
        if (created.status() != 201) {
            throw new IllegalStateException("creating a user: " + created.status() + " " + created.text());
        }
        return created.json().get("id").asText();
    }

    /** Creates a permanent token for the user; returns the response (id, token, ...), or null on a non-201. */
    public Http.Response createToken(Http http, String userId) {
        Http.Response created = http.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "bench-" + NAMES.incrementAndGet()));
        return ok(created, 201, "create-token") ? created : null;
    }

    /** Whether the response has the status; the first few that do not are shown, since they are errors. */
    public boolean ok(Http.Response response, int status, String what) {
        if (response.status() == status) {
            return true;
        }
        if (SHOWN.incrementAndGet() <= 5) {
            System.err.println(what + " answered " + response.status() + ": " + response.text());
        }
        return false;
    }

    /**
     * Inserts the rows the query selects (an event's columns after {@code global_index}, in order) into the event
     * store in one transaction, and returns how many. No other event may commit meanwhile: processors would take
     * the indexes below it for gaps, and drop those beyond their gap limit. A {@code String[]} parameter is bound
     * as a {@code text[]}.
     */
    public long insertEvents(String select, Object... parameters) throws SQLException {
        try (Connection db = database()) {
            db.setAutoCommit(false);
            try (Statement lock = db.createStatement()) {
                lock.execute("LOCK TABLE domain_event_entry IN EXCLUSIVE MODE");
            }
            long rows;
            try (PreparedStatement insert = db.prepareStatement("""
                    INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                        time_stamp, payload_type, payload_revision, payload, meta_data)
                    """ + select)) {
                for (int i = 0; i < parameters.length; i++) {
                    if (parameters[i] instanceof String[] texts) {
                        insert.setArray(i + 1, db.createArrayOf("text", texts));
                    } else {
                        insert.setObject(i + 1, parameters[i]);
                    }
                }
                rows = insert.executeUpdate();
            }
            db.commit();
            return rows;
        }
    }

    /** The global index of the newest stored event (0 when there is none). */
    public long head() throws SQLException {
        try (Connection db = database(); Statement select = db.createStatement();
             ResultSet rs = select.executeQuery("SELECT coalesce(max(global_index), 0) FROM domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The tracking processors: those with a position in the token store. */
    public Set<String> trackingProcessors() throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Connection db = database(); Statement select = db.createStatement();
             ResultSet rs = select.executeQuery("SELECT DISTINCT processor_name FROM token_entry")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /**
     * Waits until every processing group the name test accepts has handled the event store up to {@code head},
     * as {@code GET /api/admin/projections} shows it (positions from the token store; groups without one, such as
     * the per-instance live processor, are not waited for). Returns, by group, the seconds from {@code since}
     * (a {@link System#nanoTime()}) until it was first seen there. A group in error, or one still behind after
     * {@code bound}, fails the wait.
     */
    public Map<String, Double> awaitProcessors(long head, Predicate<String> which, long since, Duration bound)
            throws InterruptedException {
        Map<String, Double> reached = new TreeMap<>();
        long deadline = System.nanoTime() + bound.toNanos();
        long report = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        try (Http http = http()) {
            while (true) {
                Http.Response listing = http.get("/api/admin/projections", admin);
                if (listing.status() != 200) {
                    throw new IllegalStateException("projections: " + listing.status() + " " + listing.text());
                }
                long now = System.nanoTime();
                Map<String, Long> behind = new TreeMap<>();
                for (JsonNode group : listing.json()) {
                    String name = group.get("name").asText();
                    if (!which.test(name) || group.get("position").isNull() || reached.containsKey(name)) {
                        continue;
                    }
                    if (group.get("status").asText().equals("ERROR")) {
                        throw new IllegalStateException("processor " + name + " is in error; see " + server.log());
                    }
                    long position = group.get("position").asLong();
                    if (position >= head) {
                        reached.put(name, (now - since) / 1e9);
                    } else {
                        behind.put(name, position);
                    }
                }
                if (behind.isEmpty()) {
                    if (reached.isEmpty()) {
                        throw new IllegalStateException("no processing group to wait for");
                    }
                    return reached;
                }
                if (now > deadline) {
                    throw new IllegalStateException("processors not at event " + head + " within " + bound + ": "
                            + behind);
                }
                if (now > report) {
                    System.out.printf("  %.0f s: not yet at event %d: %s%n", (now - since) / 1e9, head, behind);
                    report = now + Duration.ofMinutes(1).toNanos();
                }
                Thread.sleep(100);
            }
        }
    }
}
