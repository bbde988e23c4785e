package io.tokenledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A bulk revoke of 10 000 permanent tokens (smoke: 500), all of one tag. The tokens are seeded as SQL copies of a real
 * creation event (as the deadlines scenario seeds them) with the inventory rows their creation writes, tagged; the
 * dry run must count them all; then the job is started over the API and timed from the request until
 * {@code GET /api/jobs/{id}} says DONE, against a bound of 60 s. Every seeded token is then checked revoked, once.
 */
final class BulkRevokeBenchmark implements Scenario {

    @Override
    public String name() {
        return "bulk-revoke";
    }

    @Override
    public void run(Context c) throws Exception {
        int count = c.size("bulk.tokens", 500, 10_000);
        Duration bound = Duration.ofMinutes(c.smoke ? 2 : 10);
        String salt = UUID.randomUUID().toString().substring(0, 8);
        String tag = "bench-" + salt;
        String owner;
        DeadlineBenchmark.Template template;
        try (Http http = c.http()) {
            owner = c.createUser(http, "USER");
            template = DeadlineBenchmark.template(c, c.createToken(http, owner).json().get("id").asText());
        }
        long seeding = System.nanoTime();
        DeadlineBenchmark.seed(c, template, salt, count, new String[] {owner}, Instant.now(), 300, 30);
        inventory(c, template, salt, count, tag);
        System.out.printf("  seeded %,d tagged tokens in %.1f s%n", count, (System.nanoTime() - seeding) / 1e9);

        try (Http http = c.http()) {
            Map<String, Object> filter = Map.of("tag", tag);
            Http.Response preview = http.post("/api/tokens/bulk-revoke", c.admin, Map.of("filter", filter,
                    "dryRun", true));
            if (preview.status() != 200 || preview.json().get("matched").asLong() != count) {
                throw new IllegalStateException("the dry run: " + preview.status() + " " + preview.text());
            }
            long start = System.nanoTime();
            Http.Response started = http.post("/api/tokens/bulk-revoke", c.admin, Map.of("filter", filter,
                    "reason", "bench", "dryRun", false));
            if (started.status() != 202) {
                throw new IllegalStateException("starting the job: " + started.status() + " " + started.text());
            }
            double answered = (System.nanoTime() - start) / 1e9;
            String job = started.json().get("jobId").asText();
            long deadline = start + bound.toNanos();
            JsonNode state;
            do {
                Thread.sleep(100);
                state = http.get("/api/jobs/" + job, c.admin).json();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the job did not finish within " + bound + ": " + state);
                }
            } while (state.get("state").asText().equals("RUNNING"));
            double took = (System.nanoTime() - start) / 1e9;
            if (!state.get("state").asText().equals("DONE") || state.get("done").asInt() != count) {
                throw new IllegalStateException("the job ended " + state);
            }
            long revoked = revocations(c, salt, count);
            if (revoked != count) {
                throw new IllegalStateException(revoked + " revocations stored, expected " + count);
            }
            c.results.bounded(name(), String.format("bulk revoke of %,d tokens: request → job done", count), took,
                    "s", 60, false);
            c.results.value(name(), "  tokens revoked", count / took, "tokens/s");
            c.results.value(name(), "  POST answered (the set fixed)", answered, "s");
            c.results.fact("bulk-revoke.sizes", Map.of("tokens", count));
        }
    }

    /** The inventory rows the seeded tokens' creations write, with the tag, as the token inventory writes them. */
    private static void inventory(Context c, DeadlineBenchmark.Template t, String salt, int count, String tag)
            throws Exception {
        try (Connection db = c.database(); PreparedStatement insert = db.prepareStatement("""
                INSERT INTO token_view (id, kind, name, hint, user_id, created_at, created_by, expires_at, status,
                                        scopes, tags)
                SELECT md5(? || 'token' || n)::uuid, 'PERMANENT', v.name || '-' || ? || '-' || n, v.hint, v.user_id,
                       v.created_at, v.created_by, v.expires_at, 'ACTIVE', v.scopes, ARRAY[?]
                FROM token_view v, generate_series(1, ?) n WHERE v.id = ?::uuid""")) {
            insert.setString(1, salt);
            insert.setString(2, salt);
            insert.setString(3, tag);
            insert.setInt(4, count);
            insert.setString(5, t.tokenId());
            insert.executeUpdate();
        }
    }

    private static long revocations(Context c, String salt, int count) throws Exception {
        try (Connection db = c.database(); PreparedStatement select = db.prepareStatement("""
                SELECT count(*) FROM domain_event_entry WHERE payload_type = 'io.tokenledger.api.token.TokenRevoked'
                AND aggregate_identifier IN (SELECT md5(? || 'token' || n)::uuid::text FROM generate_series(1, ?) n)""")) {
            select.setString(1, salt);
            select.setInt(2, count);
            try (var rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
