package io.tokenledger.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

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
        String name = "bench-" + role.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
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
}
