package io.tokenledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Rebuilding the token inventory. Seeds about 1 000 000 events (smoke: 20 000) by SQL copies of real ones: users
 * first, then tokens created and (half of them) revoked, interleaved as a busy system writes them. The
 * running processors take the copies for new events; they catch up on the tokens' events first (reported as its
 * own measure: the tracking processors, those with a stored token, until the last is at the head, target ≥ 10 000
 * events/s) so that nothing competes with what follows. Then a streamed JDBC scan of every column of every stored
 * event gives the raw limit, and {@code POST /api/admin/projections/token-inventory/replay} is measured against it
 * from the replay's own progress (target ratio ≥ 0.5), the two in turns three times and each taken at its median.
 * The inventory is checked after the rebuild, and after the
 * catch-up too when a tracking processor keeps it (one written in the command's transaction never sees events
 * inserted by SQL).
 */
final class ReplayBenchmark implements Scenario {
    static final String GROUP = "token-inventory";
    /** Scans and rebuilds measured, in turns. */
    private static final int ROUNDS = 3;

    /** One rebuild: the events it applied, from its start to its end, and from the request until seen done. */
    private record Replayed(long applied, double seconds, double requestToDone) {
    }

    /** The middle one of the rounds' measures, by {@code key}. */
    private static <T> T median(List<T> rounds, ToDoubleFunction<T> key) {
        return rounds.stream().sorted(Comparator.comparingDouble(key)).toList().get(rounds.size() / 2);
    }

    /** Rebuilds the token inventory through the API and waits until it is done. */
    private static Replayed replay(Context c) throws Exception {
        long requested = System.nanoTime();
        JsonNode replay;
        try (Http http = c.http()) {
            Http.Response started = http.post("/api/admin/projections/" + GROUP + "/replay", c.admin, null);
            if (started.status() != 202) {
                throw new IllegalStateException("replay: " + started.status() + " " + started.text());
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            do {
                Thread.sleep(100);
                replay = group(http, c.admin, GROUP);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replay not done in time: " + replay);
                }
            } while (replay.get("replaying").asBoolean());
        }
        double requestToDone = (System.nanoTime() - requested) / 1e9;
        JsonNode progress = replay.get("replayProgress");
        if (!progress.get("state").asText().equals("DONE")) {
            throw new IllegalStateException("replay did not finish: " + progress);
        }
        double seconds = Duration.between(Instant.parse(progress.get("startedAt").asText()),
                Instant.parse(progress.get("finishedAt").asText())).toMillis() / 1000.0;
        return new Replayed(progress.get("eventsApplied").asLong(), seconds, requestToDone);
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public void run(Context c) throws Exception {
        int wanted = c.size("replay.events", 20_000, 1_000_000);
        int users = Math.max(20, wanted / 1_000);
        int tokens = (wanted - users) * 2 / 3 / 2 * 2;
        String salt = UUID.randomUUID().toString().substring(0, 8);

        // One user and one token through the application give the stored form of each event; the copies get their
        // own ids, names and hashes (the credentials read model keeps hashes unique).
        String username = "replay-" + salt;
        String user;
        String token;
        String tokenName;
        try (Http http = c.http()) {
            user = c.createUser(http, "USER", username);
            Http.Response created = c.createToken(http, user);
            token = created.json().get("id").asText();
            tokenName = created.json().get("name").asText();
            if (http.get("/api/me", created.json().get("token").asText()).status() != 200) {
                throw new IllegalStateException("the template token does not authenticate");
            }
            if (http.post("/api/tokens/" + token + "/revoke", c.admin, Map.of("reason", "leaked")).status() != 200) {
                throw new IllegalStateException("revoking the template token failed");
            }
            awaitEvents(c, token, 2);
        }
        String hash = templateHash(c, token);
        c.awaitProcessors(c.head(), name -> true, System.nanoTime(), Duration.ofMinutes(5));

        c.insertEvents("""
                SELECT gen_random_uuid()::text, md5(? || 'user' || u)::uuid::text, 0, t.type, t.time_stamp,
                       t.payload_type, t.payload_revision,
                       convert_to(replace(replace(convert_from(t.payload, 'UTF8'), ?, md5(? || 'user' || u)::uuid::text),
                           ?, ? || '-' || u), 'UTF8'), t.meta_data
                FROM domain_event_entry t, generate_series(1, ?) u
                WHERE t.aggregate_identifier = ? AND t.sequence_number = 0
                ORDER BY u""", salt, user, salt, username, username, users, user);
        // Owners are known to every read model before their tokens arrive, as in use. (Handled in the same moment
        // by two segments, a token and its owner's registration leave the token named by the owner's id.)
        c.awaitProcessors(c.head(), name -> true, System.nanoTime(), Duration.ofMinutes(c.smoke ? 5 : 30));

        // Token n is created and, if even, revoked 97 events later. (A use is no event: it is not replayed.)
        long seeding = System.nanoTime();
        long events = c.insertEvents("""
                SELECT gen_random_uuid()::text, md5(? || 'token' || n)::uuid::text, t.sequence_number, t.type,
                       t.time_stamp, t.payload_type, t.payload_revision,
                       convert_to(replace(replace(replace(convert_from(t.payload, 'UTF8'),
                           ?, md5(? || 'token' || n)::uuid::text),
                           ?, md5(? || 'user' || (n % ? + 1))::uuid::text),
                           ?, encode(sha256(convert_to(? || 'token' || n, 'UTF8')), 'hex')), 'UTF8'), t.meta_data
                FROM domain_event_entry t, generate_series(1, ?) n
                WHERE t.aggregate_identifier = ? AND (t.sequence_number < 1 OR n % 2 = 0)
                ORDER BY n + 97 * t.sequence_number, t.sequence_number""",
                salt, token, salt, user, salt, users, hash, salt, tokens, token);
        long seeded = System.nanoTime();
        long head = c.head();
        System.out.printf("  seeded %,d events of %,d tokens in %.1f s; the processors catch up%n", events, tokens,
                (seeded - seeding) / 1e9);

        // Only tracking processors catch up; one written in the command's transaction is listed at the head.
        Set<String> tracking = c.trackingProcessors();
        Map<String, Double> caughtUp = c.awaitProcessors(head, tracking::contains, seeded,
                Duration.ofMinutes(c.smoke ? 5 : 180));
        double all = caughtUp.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        String slowest = caughtUp.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        c.results.fact("replay.catchUpSeconds", caughtUp);
        System.out.println("  caught up (seconds after the seeding): " + caughtUp);
        boolean tracked = tracking.contains(GROUP);
        if (tracked) {
            check(c, "after the live processors", tokenName, tokens, users);
        }

        // The scan and the rebuild in turns, three times each (after a first scan that warms the cache): the
        // medians, so that one slow moment of a shared machine does not decide the ratio.
        RawEvents.scan(c);
        List<RawEvents.Scan> scans = new ArrayList<>();
        List<Replayed> replays = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            scans.add(RawEvents.scan(c));
            replays.add(replay(c));
            check(c, "after the replay", tokenName, tokens, users);
            System.out.printf("  round %d: scan %,.0f events/s, rebuild %,.0f events/s (%.1f s)%n", round + 1,
                    scans.get(round).perSecond(), scans.get(round).rows() / replays.get(round).seconds(),
                    replays.get(round).seconds());
        }
        RawEvents.Scan scan = median(scans, RawEvents.Scan::perSecond);
        Replayed median = median(replays, Replayed::seconds);
        long stored = scan.rows();
        long applied = median.applied();
        double seconds = median.seconds();
        double requestToDone = median.requestToDone();
        if (applied < users + events) {
            throw new IllegalStateException("the replay applied " + applied + " events, fewer than the "
                    + (users + events) + " seeded");
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("seededEvents", users + events);
        facts.put("storedEvents", stored);
        facts.put("scannedMiB", scan.bytes() / 1048576.0);
        facts.put("replayEventsApplied", applied);
        facts.put("replaySeconds", seconds);
        facts.put("rounds", IntStream.range(0, ROUNDS).mapToObj(i -> Map.of(
                "scanEventsPerSecond", scans.get(i).perSecond(), "replayEventsPerSecond", stored / replays.get(i).seconds(),
                "replaySeconds", replays.get(i).seconds())).toList());
        c.results.fact("replay.sizes", facts);

        String limit = "JDBC scan of every stored event";
        c.results.bounded(name(), "tracking processors catch up, " + String.format("%,d", events) + " events",
                events / all, "events/s", 10_000, true);
        c.results.value(name(), "  until the last group (" + slowest + ")", all, "s");
        c.results.value(name(), "  tracking groups", caughtUp.size(), "");
        if (tracked) {
            c.results.against(name(), "  " + GROUP + " catching up live", events / caughtUp.get(GROUP), "events/s",
                    limit, scan.perSecond(), null);
        }
        c.results.against(name(), GROUP + " replay, " + String.format("%,d", stored) + " events (median of "
                + ROUNDS + ")", stored / seconds, "events/s", limit + " (median)", scan.perSecond(), 0.5);
        c.results.value(name(), "  replay request → seen done", requestToDone, "s");
    }

    /** The token inventory holds every copy: half revoked, each owner a user of its own name. */
    private static void check(Context c, String when, String tokenName, int tokens, int users) throws Exception {
        try (Connection db = c.database(); PreparedStatement select = db.prepareStatement("""
                SELECT count(*), count(*) FILTER (WHERE status = 'REVOKED'), count(DISTINCT o.username)
                FROM token_view v LEFT JOIN token_owner o ON o.user_id = v.user_id WHERE name = ?""")) {
            select.setString(1, tokenName);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                long[] found = {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                long[] expected = {tokens + 1L, tokens / 2 + 1L, users + 1L};
                if (!Arrays.equals(found, expected)) {
                    List<String> odd = new ArrayList<>();
                    try (PreparedStatement names = db.prepareStatement("""
                            SELECT coalesce(o.username, 'no owner'), v.user_id, count(*)
                            FROM token_view v LEFT JOIN token_owner o ON o.user_id = v.user_id
                            WHERE name = ? AND coalesce(o.username, '') NOT LIKE 'replay-%' GROUP BY 1, 2 LIMIT 5""")) {
                        names.setString(1, tokenName);
                        try (ResultSet n = names.executeQuery()) {
                            while (n.next()) {
                                odd.add(n.getString(1) + "/" + n.getString(2) + "×" + n.getLong(3));
                            }
                        }
                    }
                    throw new IllegalStateException("token inventory " + when + ": tokens, revoked, owners = "
                            + Arrays.toString(found) + ", expected " + Arrays.toString(expected) + "; " + odd);
                }
            }
        }
    }

    /** Waits until the token's stream holds that many events. */
    private static void awaitEvents(Context c, String aggregate, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection db = c.database(); PreparedStatement select = db.prepareStatement(
                "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?")) {
            select.setString(1, aggregate);
            while (true) {
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= count) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("token " + aggregate + " has fewer than " + count + " events");
                }
                Thread.sleep(50);
            }
        }
    }

    /** The hex hash the template token's events carry. */
    private static String templateHash(Context c, String token) throws Exception {
        try (Connection db = c.database(); PreparedStatement select = db.prepareStatement("""
                SELECT payload FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 0""")) {
            select.setString(1, token);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return Http.JSON.readTree(rs.getBytes(1)).get("hash").get("hex").asText();
            }
        }
    }

    private static JsonNode group(Http http, String admin, String name) {
        for (JsonNode group : http.get("/api/admin/projections", admin).json()) {
            if (group.get("name").asText().equals(name)) {
                return group;
            }
        }
        throw new IllegalStateException("no processing group " + name);
    }
}
