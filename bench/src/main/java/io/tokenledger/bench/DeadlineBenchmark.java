package io.tokenledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.TokenExpiryApproaching;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Expiry warnings, planned by the expiry saga and fired by db-scheduler. (a) 100 000 permanent tokens (smoke:
 * 2 000), seeded as SQL copies of a real creation event under a 30-day ladder: the saga processor's catch-up as
 * sagas/s, each saga planning one warning deadline. (b) The ladder set to 7 days over the API: from the request
 * until the saga processor has passed the change, every saga having replanned its warning (checked in
 * {@code scheduled_tasks}: none left at 30 days). (c) 10 000 tokens (smoke: 500) whose warnings all fall due at one
 * moment, a few seconds after every processor has handled them: from that moment until every warning is stored
 * ({@code TokenExpiryApproaching}), its fault raised and its e-mail queued, and sent; warnings fired/s beside
 * one-row insert transactions of the same event from as many connections as the scheduler has threads. The
 * ladder is left as it was found.
 */
final class DeadlineBenchmark implements Scenario {
    static final String SAGAS = "TokenExpirySagaProcessor";
    static final String LADDER = SettingKey.EXPIRY_NOTIFICATION_DAYS.label();
    /** {@code db-scheduler.threads} of the application: how many deadlines fire at once. */
    static final int SCHEDULER_THREADS = 4;
    static final int OWNERS = 20;

    @Override
    public String name() {
        return "deadlines";
    }

    @Override
    public void run(Context c) throws Exception {
        int planned = c.size("deadline.tokens", 2_000, 100_000);
        int due = c.size("deadline.due", 500, 10_000);
        Duration bound = Duration.ofMinutes(c.smoke ? 5 : 30);
        String salt = UUID.randomUUID().toString().substring(0, 8);
        String[] owners = new String[OWNERS];
        String previous;
        Template template;
        try (Http http = c.http()) {
            for (int i = 0; i < OWNERS; i++) {
                owners[i] = c.createUser(http, "USER");
            }
            previous = ladder(c, http);
            setLadder(c, http, "30");
            template = template(c, c.createToken(http, owners[0]).json().get("id").asText());
        }
        try {
            c.awaitProcessors(c.head(), SAGAS::equals, System.nanoTime(), bound);
            long before = warnings(c, 30);

            // (a) planning
            long seeding = System.nanoTime();
            long seeded = seed(c, template, salt + "planned", planned, owners, Instant.now(), 60, 300);
            long start = System.nanoTime();
            System.out.printf("  seeded %,d tokens in %.1f s; the saga processor plans their warnings%n", seeded,
                    (start - seeding) / 1e9);
            // Every processor handles the new tokens; the next steps start once all have.
            Map<String, Double> caughtUp = c.awaitProcessors(c.head(), group -> true, start, bound);
            double planning = caughtUp.get(SAGAS);
            double all = caughtUp.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            expect("warnings at 30 days after planning", warnings(c, 30), before + planned);
            c.results.value(name(), "plan a warning for " + String.format("%,d", planned) + " new tokens",
                    planned / planning, "sagas/s");

            // (b) replanning (every processor has finished the seeded tokens, or the change's answer, given once
            // every read model has caught up, would wait for them)
            long sagas = sagas(c);
            start = System.nanoTime();
            try (Http http = c.http()) {
                setLadder(c, http, "7");
            }
            double answered = (System.nanoTime() - start) / 1e9;
            double replanning = c.awaitProcessors(c.head(), SAGAS::equals, start, bound).get(SAGAS);
            expect("warnings at 30 days after the change", warnings(c, 30), 0);
            expect("warnings at 7 days after the change", warnings(c, 7), before + planned);
            c.results.bounded(name(), "replan all " + String.format("%,d", sagas) + " sagas: 30 → 7 days",
                    replanning, "s", 60, false);
            c.results.value(name(), "  sagas replanned", sagas / replanning, "sagas/s");
            c.results.value(name(), "  PUT of the ladder answered", answered, "s");

            // (c) firing
            fire(c, template, salt + "due", due, owners, planned / all, bound);
            c.results.fact("deadlines.sizes", Map.of("plannedTokens", planned, "dueTokens", due, "sagas", sagas,
                    "schedulerThreads", SCHEDULER_THREADS));
        } finally {
            try (Http http = c.http()) {
                setLadder(c, http, previous);
            }
            c.awaitProcessors(c.head(), SAGAS::equals, System.nanoTime(), bound);
        }
    }

    /**
     * Seeds tokens that all warn at one moment, chosen so that every processor has handled them well before (at
     * the rate all handled the planned tokens), and measures from that moment until every warning is stored,
     * raised as a fault with its e-mail queued, and sent.
     */
    private void fire(Context c, Template template, String salt, int count, String[] owners, double tokensPerSecond,
                      Duration bound) throws Exception {
        double planning = count / tokensPerSecond;
        Instant at = Instant.now().plusMillis(5_000 + (long) (3_000 * planning) + count / 5)
                .truncatedTo(ChronoUnit.MILLIS);
        long head = c.head();
        // A ladder of 7 days: the warning is due exactly 7 days before expiry.
        seed(c, template, salt, count, owners, at, 7, 1);
        c.awaitProcessors(c.head(), group -> true, System.nanoTime(), bound);
        if (!Instant.now().isBefore(at)) {
            throw new IllegalStateException("the processors handled the new tokens after their warnings fell due ("
                    + at + "); planning and firing would overlap");
        }
        expect("warnings due at " + at, count(c, """
                SELECT count(*) FROM scheduled_tasks WHERE execution_time = ? AND position(convert_to(?, 'UTF8') IN
                task_data) > 0""", Timestamp.from(at), "\"daysBefore\":7}"), count);
        System.out.printf("  %,d warnings planned for %s, in %.1f s%n", count, at,
                Duration.between(Instant.now(), at).toMillis() / 1000.0);

        long deadline = System.nanoTime() + Duration.between(Instant.now(), at).plus(bound).toNanos();
        Firing firing;
        do {
            Thread.sleep(200);
            firing = firing(c, head, salt, count);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not all " + count + " warnings went out in time: " + firing);
            }
        } while (!firing.done(count));

        Load.Stats raw = RawEvents.inserts(c, SCHEDULER_THREADS,
                RawEvents.template(c, TokenExpiryApproaching.class.getName()));
        double fired = seconds(at, firing.lastWarning());
        c.results.value(name(), String.format("%,d warnings due together", count) + ": due → first", seconds(at,
                firing.firstWarning()), "s");
        c.results.bounded(name(), "  due → all warnings stored", fired, "s", 10, false);
        c.results.against(name(), "  warnings fired", count / fired, "/s", "one-row insert transactions, "
                + SCHEDULER_THREADS + " conn.", raw.perSecond(), null);
        c.results.value(name(), "  due → all faults raised, e-mails queued", seconds(at, firing.lastQueued()), "s");
        c.results.value(name(), "  due → all e-mails sent", seconds(at, firing.lastSent()), "s");
    }

    /** How far the warnings of one seeding got: counts, and when the first and last of each step happened. */
    private record Firing(long warnings, Instant firstWarning, Instant lastWarning, long faults, long queued,
                          Instant lastQueued, long sent, Instant lastSent) {
        boolean done(long count) {
            return warnings == count && faults == count && queued == count && sent == count;
        }
    }

    private static Firing firing(Context c, long head, String salt, int count) throws Exception {
        try (Connection db = c.database()) {
            long warnings;
            Instant first;
            Instant last;
            try (PreparedStatement select = db.prepareStatement("""
                    SELECT count(*), min(time_stamp), max(time_stamp) FROM domain_event_entry
                    WHERE global_index > ? AND payload_type = ?""")) {
                select.setLong(1, head);
                select.setString(2, TokenExpiryApproaching.class.getName());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    warnings = rs.getLong(1);
                    first = rs.getString(2) == null ? null : Instant.parse(rs.getString(2));
                    last = rs.getString(3) == null ? null : Instant.parse(rs.getString(3));
                }
            }
            String tokens = "(SELECT md5(? || 'token' || n)::uuid FROM generate_series(1, ?) n)";
            long faults;
            try (PreparedStatement select = db.prepareStatement(
                    "SELECT count(*) FROM fault WHERE token_id IN " + tokens)) {
                select.setString(1, salt);
                select.setInt(2, count);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    faults = rs.getLong(1);
                }
            }
            try (PreparedStatement select = db.prepareStatement("""
                    SELECT count(*), max(created_at), count(*) FILTER (WHERE status = 'SENT'), max(sent_at)
                    FROM notification WHERE token_id IN""" + " " + tokens)) {
                select.setString(1, salt);
                select.setInt(2, count);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return new Firing(warnings, first, last, faults, rs.getLong(1), instant(rs.getTimestamp(2)),
                            rs.getLong(3), instant(rs.getTimestamp(4)));
                }
            }
        }
    }

    /** A token created through the application: its stored creation event and the values its copies replace. */
    private record Template(String tokenId, String ownerId, String name, String hash, String expiresAt) {
    }

    private static Template template(Context c, String tokenId) throws Exception {
        try (Connection db = c.database(); PreparedStatement select = db.prepareStatement("""
                SELECT payload FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 0""")) {
            select.setString(1, tokenId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                JsonNode created = Http.JSON.readTree(rs.getBytes(1));
                return new Template(tokenId, created.get("ownerId").get("value").asText(),
                        created.get("name").asText(), created.get("hash").get("hex").asText(),
                        created.get("expiresAt").asText());
            }
        }
    }

    /**
     * Copies the template's creation event {@code count} times: token n gets its own id, name and hash, owner n
     * modulo the owners, and expires {@code days + n % spread} times 24 hours after {@code from}.
     */
    private static long seed(Context c, Template t, String salt, int count, String[] owners, Instant from, int days,
                             int spread) throws Exception {
        return c.insertEvents("""
                SELECT gen_random_uuid()::text, md5(? || 'token' || n)::uuid::text, 0, t.type, t.time_stamp,
                       t.payload_type, t.payload_revision,
                       convert_to(replace(replace(replace(replace(replace(convert_from(t.payload, 'UTF8'),
                           ?, md5(? || 'token' || n)::uuid::text),
                           ?, (?::text[])[n % ? + 1]),
                           ?, ? || n || '"'),
                           ?, encode(sha256(convert_to(? || 'token' || n, 'UTF8')), 'hex')),
                           ?, '"expiresAt":"' || to_char((?::timestamptz + (? + n % ?) * interval '24 hours')
                                                         AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'),
                           'UTF8'), t.meta_data
                FROM domain_event_entry t, generate_series(1, ?) n
                WHERE t.aggregate_identifier = ? AND t.sequence_number = 0
                ORDER BY n""",
                salt, t.tokenId(), salt, t.ownerId(), owners, owners.length, "\"" + t.name() + "\"",
                "\"" + t.name() + "-" + salt + "-", t.hash(), salt, "\"expiresAt\":\"" + t.expiresAt() + "\"",
                from.toString(), days, spread, count, t.tokenId());
    }

    /** Pending warning deadlines of the threshold (the payload is JSON inside the task data). */
    private static long warnings(Context c, int days) throws Exception {
        return count(c, "SELECT count(*) FROM scheduled_tasks WHERE position(convert_to(?, 'UTF8') IN task_data) > 0",
                "\"daysBefore\":" + days + "}");
    }

    private static long sagas(Context c) throws Exception {
        return count(c, "SELECT count(*) FROM saga_entry");
    }

    private static long count(Context c, String sql, Object... parameters) throws Exception {
        try (Connection db = c.database(); PreparedStatement select = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void expect(String what, long found, long expected) {
        if (found != expected) {
            throw new IllegalStateException(what + ": " + found + ", expected " + expected);
        }
    }

    /** The ladder in force, or null when none is set. */
    private static String ladder(Context c, Http http) {
        Http.Response config = http.get("/api/settings/app-config", c.admin);
        if (config.status() != 200) {
            throw new IllegalStateException("app config: " + config.status() + " " + config.text());
        }
        for (JsonNode entry : config.json()) {
            if (entry.get("key").asText().equals(LADDER)) {
                return entry.get("value").asText();
            }
        }
        return null;
    }

    /** Sets the ladder over the API, or clears it when {@code value} is null. */
    private static void setLadder(Context c, Http http, String value) {
        String path = "/api/settings/app-config/" + URLEncoder.encode(LADDER, StandardCharsets.UTF_8)
                .replace("+", "%20");
        Http.Response answer = value == null ? http.call("DELETE", path, c.admin, null, Map.of())
                : http.put(path, c.admin, Map.of("value", value));
        if (answer.status() != (value == null ? 204 : 200)) {
            throw new IllegalStateException("setting the ladder to " + value + ": " + answer.status() + " "
                    + answer.text());
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
