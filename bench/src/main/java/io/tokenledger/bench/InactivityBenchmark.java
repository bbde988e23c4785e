package io.tokenledger.bench;

import io.tokenledger.api.settings.SettingKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The inactivity policy's daily run over 100 000 active permanent tokens (smoke: 2 000), seeded as SQL copies of a
 * real creation event with the command side's index row a creation writes: 1 000 (smoke: 100) unused for 100 days,
 * as many unused for 85 days, the rest created 10 days ago, half of those used yesterday. Under a policy of 90 days
 * the run revokes the first (each through the Token aggregate, audited) and warns the second; measured from the
 * moment the recurring task is made due until db-scheduler records its success (so including up to one polling
 * interval, 2 s), with the bound of 60 s. The policy is left as it was found; the other seeded tokens stay active.
 */
final class InactivityBenchmark implements Scenario {
    static final String TASK = "token-inactivity";
    static final String KEY = SettingKey.INACTIVITY_DAYS.label();
    static final int OWNERS = 20;

    @Override
    public String name() {
        return "inactivity";
    }

    @Override
    public void run(Context c) throws Exception {
        int tokens = c.size("inactivity.tokens", 2_000, 100_000);
        int due = c.size("inactivity.due", 100, 1_000);
        Duration bound = Duration.ofMinutes(c.smoke ? 5 : 15);
        String salt = UUID.randomUUID().toString().substring(0, 8) + "idle";
        String[] owners = new String[OWNERS];
        DeadlineBenchmark.Template template;
        try (Http http = c.http()) {
            for (int i = 0; i < OWNERS; i++) {
                owners[i] = c.createUser(http, "USER");
            }
            template = DeadlineBenchmark.template(c, c.createToken(http, owners[0]).json().get("id").asText());
        }
        long seeding = System.nanoTime();
        DeadlineBenchmark.seed(c, template, salt, tokens, owners, Instant.now(), 300, 60);
        index(c, salt, tokens, due, owners);
        System.out.printf("  seeded %,d tokens in %.1f s%n", tokens, (System.nanoTime() - seeding) / 1e9);
        // The run starts once every processor has handled the seeded creations, as on a quiet night.
        c.awaitProcessors(c.head(), group -> true, System.nanoTime(), bound);
        try (Http http = c.http()) {
            set(c, http, "90");
        }
        try {
            Instant before = lastSuccess(c);
            long start = System.nanoTime();
            update(c, "UPDATE scheduled_tasks SET execution_time = now() WHERE task_name = ?", TASK);
            long deadline = start + bound.toNanos();
            while (lastSuccess(c).equals(before)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the inactivity run did not finish within " + bound);
                }
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long left = count(c, "SELECT count(*) FROM active_token_of_user WHERE token_id IN "
                    + "(SELECT md5(? || 'token' || n)::uuid FROM generate_series(1, ?) n)", salt, due);
            long warned = count(c, "SELECT count(*) FROM inactivity_warning WHERE token_id IN "
                    + "(SELECT md5(? || 'token' || n)::uuid FROM generate_series(?, ?) n)", salt, due + 1, 2 * due);
            if (left != 0 || warned != due) {
                throw new IllegalStateException("inactivity run: " + left + " of " + due + " due tokens left active, "
                        + warned + " of " + due + " warned");
            }
            c.results.bounded(name(), String.format("daily run over %,d tokens (%,d revoked, %,d warned)", tokens,
                    due, due), seconds, "s", 60, false);
            c.results.value(name(), "  revocations and warnings sent", 2.0 * due / seconds, "/s");
            c.results.fact("inactivity.sizes", Map.of("tokens", tokens, "revoked", due, "warned", due));
        } finally {
            try (Http http = c.http()) {
                set(c, http, null);
            }
        }
    }

    /**
     * The command side's index rows of the seeded tokens, as their creations write them, with the creation times of
     * the scenario; and a last use yesterday for every other token of the rest.
     */
    private static void index(Context c, String salt, int tokens, int due, String[] owners) throws Exception {
        update(c, """
                INSERT INTO active_token_of_user (token_id, user_id, kind, scopes, created_at)
                SELECT md5(? || 'token' || n)::uuid, ((?::text[])[n % ? + 1])::uuid, 'PERMANENT', '{api}',
                       now() - CASE WHEN n <= ? THEN interval '100 days' WHEN n <= ? THEN interval '85 days'
                                    ELSE interval '10 days' END
                FROM generate_series(1, ?) n""", salt, owners, owners.length, due, 2 * due, tokens);
        update(c, """
                INSERT INTO token_usage (token_id, last_used_at, last_used_ip)
                SELECT md5(? || 'token' || n)::uuid, now() - interval '1 day', '192.0.2.1'
                FROM generate_series(?, ?) n WHERE n % 2 = 0""", salt, 2 * due + 1, tokens);
    }

    private static Instant lastSuccess(Context c) throws Exception {
        try (Connection db = c.database(); PreparedStatement select = db.prepareStatement(
                "SELECT last_success FROM scheduled_tasks WHERE task_name = ?")) {
            select.setString(1, TASK);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no " + TASK + " task: is this a command instance?");
                }
                Timestamp at = rs.getTimestamp(1);
                return at == null ? Instant.EPOCH : at.toInstant();
            }
        }
    }

    private static void set(Context c, Http http, String value) {
        String path = "/api/settings/app-config/" + URLEncoder.encode(KEY, StandardCharsets.UTF_8).replace("+", "%20");
        Http.Response answer = value == null ? http.call("DELETE", path, c.admin, null, Map.of())
                : http.put(path, c.admin, Map.of("value", value));
        if (answer.status() != (value == null ? 204 : 200)) {
            throw new IllegalStateException("setting " + KEY + " to " + value + ": " + answer.status() + " "
                    + answer.text());
        }
    }

    private static void update(Context c, String sql, Object... parameters) throws Exception {
        try (Connection db = c.database(); PreparedStatement statement = db.prepareStatement(sql)) {
            bind(db, statement, parameters);
            statement.executeUpdate();
        }
    }

    private static long count(Context c, String sql, Object... parameters) throws Exception {
        try (Connection db = c.database(); PreparedStatement select = db.prepareStatement(sql)) {
            bind(db, select, parameters);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bind(Connection db, PreparedStatement statement, Object... parameters) throws Exception {
        for (int i = 0; i < parameters.length; i++) {
            Object p = parameters[i];
            statement.setObject(i + 1, p instanceof String[] texts ? db.createArrayOf("text", texts) : p);
        }
    }
}
