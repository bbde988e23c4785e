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
 * Expiry warnings, planned by the Token aggregate and the replan job and fired by db-scheduler. (a) 100 000 permanent
 * tokens (smoke: 2 000), seeded as SQL copies of a real creation event with the warning plan a creation writes, but
 * not yet planned (as after an upgrade): the replan job plans them all under a 30-day ladder, tokens/s. (b) The
 * ladder set to 7 days over the API: from the request until the replan job has replanned every token (no plan left
 * from another ladder, checked in {@code expiry_warning} and {@code scheduled_tasks}: none left at 30 days). (c)
 * 10 000 tokens (smoke: 500) whose warnings all fall due at one moment, seeded with the plan and the pending warning a
 * creation writes, a few seconds after every processor has handled them: from that moment until every warning is
 * stored ({@code TokenExpiryApproaching}), its fault raised and its e-mail queued, and sent; warnings fired/s beside
 * one-row insert transactions of the same event from as many connections as the scheduler has threads. The ladder is
 * left as it was found.
 */
final class DeadlineBenchmark implements Scenario {
    static final String WARNING_TASK = "token-expiry-warning";
    static final String REPLAN_TASK = "token-expiry-warning-replan";
    static final String LADDER = SettingKey.EXPIRY_NOTIFICATION_DAYS.label();
    /** {@code db-scheduler.threads} of the application: how many deadlines fire at once. */
    static final int SCHEDULER_THREADS = 12;
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
            awaitReplanned(c, System.nanoTime(), bound);
            long before = warnings(c, 30);

            // (a) planning
            long seeding = System.nanoTime();
            Instant from = Instant.now();
            long seeded = seed(c, template, salt + "planned", planned, owners, from, 60, 300);
            plan(c, salt + "planned", planned, from, 60, 300, null, -1);
            long start = System.nanoTime();
            requestReplan(c);
            System.out.printf("  seeded %,d tokens in %.1f s; the replan job plans their warnings%n", seeded,
                    (start - seeding) / 1e9);
            double planning = awaitReplanned(c, start, bound);
            expect("warnings at 30 days after planning", warnings(c, 30), before + planned);
            c.results.value(name(), "plan a warning for " + String.format("%,d", planned) + " new tokens",
                    planned / planning, "tokens/s");
            // Every processor handles the new tokens; the next steps start once all have.
            Map<String, Double> caughtUp = c.awaitProcessors(c.head(), group -> true, start, bound);
            double all = caughtUp.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();

            // (b) replanning
            long tokens = plans(c);
            start = System.nanoTime();
            try (Http http = c.http()) {
                setLadder(c, http, "7");
            }
            double answered = (System.nanoTime() - start) / 1e9;
            double replanning = awaitReplanned(c, start, bound);
            expect("warnings at 30 days after the change", warnings(c, 30), 0);
            expect("warnings at 7 days after the change", warnings(c, 7), before + planned);
            c.results.bounded(name(), "replan all " + String.format("%,d", tokens) + " tokens: 30 → 7 days",
                    replanning, "s", 30, false);
            c.results.value(name(), "  tokens replanned", tokens / replanning, "tokens/s");
            c.results.value(name(), "  PUT of the ladder answered", answered, "s");

            // (c) firing
            fire(c, template, salt + "due", due, owners, planned / all, bound);
            c.results.fact("deadlines.sizes", Map.of("plannedTokens", planned, "dueTokens", due, "tokens", tokens,
                    "schedulerThreads", SCHEDULER_THREADS));
        } finally {
            try (Http http = c.http()) {
                setLadder(c, http, previous);
            }
            awaitReplanned(c, System.nanoTime(), bound);
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
        // A ladder of 7 days: the warning is due exactly 7 days before expiry, planned as a creation plans it.
        seed(c, template, salt, count, owners, at, 7, 1);
        plan(c, salt, count, at, 7, 1, at, ladderVersion(c));
        // The warnings are the events after this: counting them reads those alone, not the seeded tokens' too.
        long head = c.head();
        c.awaitProcessors(head, group -> true, System.nanoTime(), bound);
        if (!Instant.now().isBefore(at)) {
            throw new IllegalStateException("the processors handled the new tokens after their warnings fell due ("
                    + at + "); planning and firing would overlap");
        }
        // (no join with the plans here: on the text of the id, PostgreSQL may pick a nested loop over every plan)
        expect("warnings due at " + at, count(c, """
                SELECT count(*) FROM scheduled_tasks WHERE task_name = ? AND execution_time = ?""", WARNING_TASK,
                Timestamp.from(at)), count);
        System.out.printf("  %,d warnings planned for %s, in %.1f s%n", count, at,
                Duration.between(Instant.now(), at).toMillis() / 1000.0);

        long deadline = System.nanoTime() + Duration.between(Instant.now(), at).plus(bound).toNanos();
        // While they fire, the harness only watches the tasks still due at that moment (an index range that
        // shrinks): a firing rewrites its task for the token's expiry in the warning's transaction, or its
        // completion removes it just after. Counting the stored warnings instead read every event since the seeding
        // on each look, 0.1 s of PostgreSQL's time taken from the firing. What is measured is the times stored, not
        // when the harness sees them; a warning retried later is waited for below.
        while (count(c, "SELECT count(*) FROM scheduled_tasks WHERE task_name = ? AND execution_time = ?",
                WARNING_TASK, Timestamp.from(at)) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Firing firing = firing(c, head, salt, count);
        while (!firing.done(count)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not all " + count + " warnings went out in time: " + firing);
            }
            Thread.sleep(1_000);
            firing = firing(c, head, salt, count);
        }

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
        // The outbox sends while the warnings are still being stored; once they all are, what is left is sending.
        c.results.bounded(name(), "  e-mails sent (due → last sent)", firing.sent() / seconds(at, firing.lastSent()),
                "/s", 100, true);
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
            if (warnings < count) {
                // The counts below hash 10 000 ids against every fault and notification: they would compete with
                // the firing for PostgreSQL. The times measured are the stored ones, so asking only once every
                // warning is stored changes none of them.
                return new Firing(warnings, first, last, 0, 0, null, 0, null);
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
    record Template(String tokenId, String ownerId, String name, String hash, String expiresAt) {
    }

    static Template template(Context c, String tokenId) throws Exception {
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
    static long seed(Context c, Template t, String salt, int count, String[] owners, Instant from, int days,
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

    /**
     * Writes the warning plans of seeded tokens (the ids and expiries {@link #seed} gave them), as a creation writes
     * them: with the pending warning's task when {@code at} is given, else none, planned from {@code version} (-1:
     * not planned yet, as after an upgrade).
     */
    private static void plan(Context c, String salt, int count, Instant from, int days, int spread, Instant at,
                             long version) throws Exception {
        try (Connection db = c.database()) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("""
                    INSERT INTO expiry_warning (token_id, expires_at, closest_warned_days, pending_days,
                                                planned_version)
                    SELECT md5(? || 'token' || n)::uuid,
                           date_trunc('milliseconds', ?::timestamptz + (? + n % ?) * interval '24 hours'), NULL,
                           CASE WHEN ?::timestamptz IS NULL THEN NULL ELSE 7 END, ?
                    FROM generate_series(1, ?) n""")) {
                insert.setString(1, salt);
                insert.setString(2, from.toString());
                insert.setInt(3, days);
                insert.setInt(4, spread);
                insert.setObject(5, at == null ? null : Timestamp.from(at));
                insert.setLong(6, version);
                insert.setInt(7, count);
                insert.executeUpdate();
            }
            if (at != null) {
                try (PreparedStatement insert = db.prepareStatement("""
                        INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version,
                                                     consecutive_failures)
                        SELECT ?, md5(? || 'token' || n)::uuid::text, ?, false, 1, 0 FROM generate_series(1, ?) n""")) {
                    insert.setString(1, WARNING_TASK);
                    insert.setString(2, salt);
                    insert.setTimestamp(3, Timestamp.from(at));
                    insert.setInt(4, count);
                    insert.executeUpdate();
                }
            }
            db.commit();
        }
    }

    /** Asks for the replan job, as a ladder change (or a start after an upgrade) does. */
    private static void requestReplan(Context c) throws Exception {
        count(c, """
                WITH requested AS (
                    INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version,
                                                 consecutive_failures)
                    VALUES (?, 'ladder', now(), false, 1, 0)
                    ON CONFLICT (task_name, task_instance) DO UPDATE SET execution_time = now(), picked = false,
                        picked_by = NULL, last_heartbeat = NULL, version = scheduled_tasks.version + 1
                    RETURNING 1)
                SELECT count(*) FROM requested""", REPLAN_TASK);
    }

    /** The version of the ladder in force (0 when none is set). */
    private static long ladderVersion(Context c) throws Exception {
        return count(c, "SELECT coalesce((SELECT version FROM setting_value WHERE setting_key = ?), 0)",
                SettingKey.EXPIRY_NOTIFICATION_DAYS.name());
    }

    /**
     * Waits until the replan job has passed: no plan left from another ladder than the one in force, and the job's
     * task gone. Returns the seconds from {@code since}.
     */
    private static double awaitReplanned(Context c, long since, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            long stale = count(c, """
                    SELECT count(*) FROM expiry_warning WHERE planned_version <>
                        coalesce((SELECT version FROM setting_value WHERE setting_key = ?), 0)""",
                    SettingKey.EXPIRY_NOTIFICATION_DAYS.name());
            long running = count(c, "SELECT count(*) FROM scheduled_tasks WHERE task_name = ?", REPLAN_TASK);
            if (stale == 0 && running == 0) {
                return (System.nanoTime() - since) / 1e9;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(stale + " warning plans not replanned within " + bound);
            }
            Thread.sleep(50);
        }
    }

    /** Pending warnings of the threshold: a plan naming it, with its task. */
    private static long warnings(Context c, int days) throws Exception {
        return count(c, """
                SELECT count(*) FROM expiry_warning w JOIN scheduled_tasks t
                    ON t.task_name = ? AND t.task_instance = w.token_id::text
                WHERE w.pending_days = ?""", WARNING_TASK, days);
    }

    /** Planned tokens: every active permanent token. */
    private static long plans(Context c) throws Exception {
        return count(c, "SELECT count(*) FROM expiry_warning");
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
