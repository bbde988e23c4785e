package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.command.bulk.BulkRevokes;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Token hygiene over real HTTP: a token's description and tags (set at creation, changed by its owner or an admin),
 * the list filters by tag, scope and days unused, and bulk revoke: its dry run, and its job, which revokes each
 * matching token once, with the job's id in the audit, also when it is run again after an interruption.
 */
class TokenHygieneFlowTest extends IntegrationTest {
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    BulkRevokes bulk;

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private String token(String admin, String ownerId, Map<String, Object> body) {
        Api.Response created = api.post("/api/users/" + ownerId + "/tokens", admin, body);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private Api.Response patch(String id, String token, String json) {
        return api.call("PATCH", "/api/tokens/" + id, json, token == null ? Map.of()
                : Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void theOwnerAndAdminsDescribeATokenOthersCannotAndEveryViewShowsIt() {
        String admin = adminToken();
        String ownerName = unique("describer");
        String ownerId = api.createUser(admin, ownerName, "USER", Api.PASSWORD);
        String owner = api.login(ownerName, Api.PASSWORD);
        String otherName = unique("other");
        api.createUser(admin, otherName, "USER", Api.PASSWORD);
        String other = api.login(otherName, Api.PASSWORD);
        String auditorName = unique("auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);

        Api.Response created = api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", "ci",
                "description", " Deploys the shop ", "tags", List.of("CI", "prod", "ci")));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.json().get("description").asText()).isEqualTo("Deploys the shop");
        assertThat(strings(created.json().get("tags"))).containsExactly("ci", "prod");
        String id = created.json().get("id").asText();
        JsonNode view = api.get("/api/tokens/" + id, owner).json();
        assertThat(view.get("description").asText()).isEqualTo("Deploys the shop");
        assertThat(strings(view.get("tags"))).containsExactly("ci", "prod");
        assertThat(api.get("/api/users/" + ownerId + "/tokens", owner).json().at("/items/0/tags/1").asText())
                .isEqualTo("prod");

        // a field left out stays; the owner changes the tags only
        Api.Response byOwner = patch(id, owner, "{\"tags\":[\"Staging\"]}");
        assertThat(byOwner.status()).as(byOwner.raw()).isEqualTo(200);
        assertThat(byOwner.json().get("description").asText()).isEqualTo("Deploys the shop");
        assertThat(strings(byOwner.json().get("tags"))).containsExactly("staging");
        // an admin clears the description with null, leaving the tags
        Api.Response byAdmin = patch(id, admin, "{\"description\":null}");
        assertThat(byAdmin.status()).as(byAdmin.raw()).isEqualTo(200);
        assertThat(byAdmin.json().get("description").isNull()).isTrue();
        assertThat(strings(byAdmin.json().get("tags"))).containsExactly("staging");
        // and the tags with an empty list
        assertThat(strings(patch(id, admin, "{\"tags\":[]}").json().get("tags"))).isEmpty();

        // others: to a user another's token does not exist; an auditor's role does not allow it
        assertThat(patch(id, other, "{\"description\":\"mine\"}").status()).isEqualTo(404);
        assertThat(patch(id, auditor, "{\"description\":\"mine\"}").status()).isEqualTo(403);
        assertThat(patch(id, null, "{\"description\":\"mine\"}").status()).isEqualTo(401);

        // bad input: a problem naming the field, nothing stored
        Api.Response badTag = patch(id, owner, "{\"tags\":[\"no spaces\"]}");
        assertThat(badTag.status()).isEqualTo(400);
        assertThat(badTag.contentType()).startsWith("application/problem+json");
        assertThat(badTag.json().at("/errors/0/field").asText()).isEqualTo("tags");
        Api.Response longText = patch(id, owner, Api.json(Map.of("description", "x".repeat(501))));
        assertThat(longText.status()).isEqualTo(400);
        assertThat(longText.json().at("/errors/0/field").asText()).isEqualTo("description");
        Api.Response tooMany = patch(id, owner, Api.json(Map.of("tags", List.of("a", "b", "c", "d", "e", "f", "g",
                "h", "i", "j", "k"))));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(patch(id, owner, "{\"tags\":\"ci\"}").status()).isEqualTo(400);
        Api.Response badCreate = api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", "bad",
                "tags", List.of("UPPER ok", "x")));
        assertThat(badCreate.status()).isEqualTo(400);
        assertThat(badCreate.json().at("/errors/0/field").asText()).isEqualTo("tags");
        JsonNode unchanged = api.get("/api/tokens/" + id, admin).json();
        assertThat(unchanged.get("description").isNull()).isTrue();
        assertThat(strings(unchanged.get("tags"))).isEmpty();

        // the change is audited as an event of the token
        JsonNode events = api.get("/api/audit/tokens/" + id + "/events", admin).json();
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsSubsequence("PermanentTokenCreated", "TokenDescribed", "TokenDescribed",
                "TokenDescribed");

        // a revoked token keeps its labels; a temporary one has none
        assertThat(api.post("/api/tokens/" + id + "/revoke", owner, Map.of()).status()).isEqualTo(200);
        assertThat(patch(id, owner, "{\"description\":\"late\"}").status()).isEqualTo(409);
        String session = api.get("/api/me", owner).json().at("/temporaryToken/tokenId").asText();
        assertThat(patch(session, owner, "{\"description\":\"session\"}").status()).isEqualTo(409);
    }

    @Test
    void listsFilterByTagScopeAndDaysUnused() {
        String admin = adminToken();
        String ownerId = api.createUser(admin, unique("filtered"), "USER", Api.PASSWORD);
        String tag = unique("team");
        String tagged = token(admin, ownerId, Map.of("name", "tagged", "tags", List.of(tag.toUpperCase())));
        String readOnly = token(admin, ownerId, Map.of("name", "reader", "scopes", List.of("read_api")));
        String old = token(admin, ownerId, Map.of("name", "old"));
        String oldUsedLately = token(admin, ownerId, Map.of("name", "old-used-lately"));
        String oldUsedLongAgo = token(admin, ownerId, Map.of("name", "old-used-long-ago"));
        // Tokens made a month ago: their creation moved back in the inventory for this test only, and put back
        // after it, so the inventory stays what its events make of it (a replay rebuilds it).
        Timestamp monthAgo = Timestamp.from(Instant.now().minus(Duration.ofDays(30)));
        List<Map<String, Object>> created = jdbc.queryForList("SELECT id, created_at FROM token_view WHERE id IN "
                + "(?::uuid, ?::uuid, ?::uuid)", old, oldUsedLately, oldUsedLongAgo);
        jdbc.update("UPDATE token_view SET created_at = ? WHERE id IN (?::uuid, ?::uuid, ?::uuid)", monthAgo, old,
                oldUsedLately, oldUsedLongAgo);
        try {
            jdbc.update("INSERT INTO token_usage (token_id, last_used_at) VALUES (?::uuid, now()), (?::uuid, ?)",
                    oldUsedLately, oldUsedLongAgo, Timestamp.from(Instant.now().minus(Duration.ofDays(20))));

            assertThat(ids("/api/tokens?userId=" + ownerId + "&tag=" + tag, admin)).containsExactly(tagged);
            assertThat(ids("/api/users/" + ownerId + "/tokens?tag=" + tag, admin)).containsExactly(tagged);
            assertThat(ids("/api/tokens?userId=" + ownerId + "&scope=read_api", admin)).containsExactly(readOnly);
            assertThat(ids("/api/tokens?userId=" + ownerId + "&unusedForDays=10", admin))
                    .containsExactlyInAnyOrder(old, oldUsedLongAgo);
            assertThat(ids("/api/tokens?userId=" + ownerId + "&unusedForDays=25", admin)).containsExactly(old);
            assertThat(ids("/api/users/" + ownerId + "/tokens?unusedForDays=25", admin)).containsExactly(old);
            JsonNode preview = api.post("/api/tokens/bulk-revoke", admin, Map.of("filter", Map.of("userId", ownerId,
                    "unusedForDays", 10), "dryRun", true)).json();
            assertThat(preview.get("matched").asLong()).isEqualTo(2);
            Api.Response bad = api.get("/api/tokens?unusedForDays=0", admin);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo("unusedForDays");
        } finally {
            for (Map<String, Object> row : created) {
                jdbc.update("UPDATE token_view SET created_at = ? WHERE id = ?", row.get("created_at"),
                        row.get("id"));
            }
        }
    }

    private List<String> ids(String path, String token) {
        Api.Response list = api.get(path, token);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        list.json().get("items").forEach(t -> out.add(t.get("id").asText()));
        return out;
    }

    @Test
    void aDryRunCountsAndShowsWhatWouldBeRevokedAndChangesNothing() {
        String admin = adminToken();
        String ownerId = api.createUser(admin, unique("previewed"), "USER", Api.PASSWORD);
        String tag = unique("dry");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tokens.add(token(admin, ownerId, Map.of("name", "t" + i, "tags", List.of(tag))));
        }
        token(admin, ownerId, Map.of("name", "untagged"));

        Api.Response preview = api.post("/api/tokens/bulk-revoke", admin, Map.of("filter", Map.of("tag", tag),
                "dryRun", true));
        assertThat(preview.status()).as(preview.raw()).isEqualTo(200);
        assertThat(preview.json().get("matched").asLong()).isEqualTo(3);
        assertThat(preview.json().get("callingTokenMatched").asBoolean()).isFalse();
        List<String> sample = new ArrayList<>();
        preview.json().get("sample").forEach(t -> sample.add(t.get("id").asText()));
        assertThat(sample).containsExactlyInAnyOrderElementsOf(tokens);
        assertThat(ids("/api/tokens?userId=" + ownerId + "&status=ACTIVE", admin)).hasSize(4);

        // no filter at all is refused, as are bad values, each naming its field
        for (Object filter : List.of(Map.of(), Map.of("q", " "))) {
            Api.Response everything = api.post("/api/tokens/bulk-revoke", admin, Map.of("filter", filter,
                    "reason", "all", "dryRun", false));
            assertThat(everything.status()).as(everything.raw()).isEqualTo(400);
            assertThat(everything.json().at("/errors/0/field").asText()).isEqualTo("filter");
        }
        assertThat(api.post("/api/tokens/bulk-revoke", admin, Map.of("reason", "all", "dryRun", false)).status())
                .isEqualTo(400);
        Api.Response noReason = api.post("/api/tokens/bulk-revoke", admin, Map.of("filter", Map.of("tag", tag),
                "dryRun", false));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().at("/errors/0/field").asText()).isEqualTo("reason");
        Api.Response noDryRun = api.post("/api/tokens/bulk-revoke", admin, Map.of("filter", Map.of("tag", tag),
                "reason", "r"));
        assertThat(noDryRun.status()).isEqualTo(400);
        assertThat(noDryRun.json().at("/errors/0/field").asText()).isEqualTo("dryRun");
        Api.Response badDays = api.post("/api/tokens/bulk-revoke", admin, Map.of("filter",
                Map.of("unusedForDays", 0), "dryRun", true));
        assertThat(badDays.status()).isEqualTo(400);
        assertThat(badDays.json().at("/errors/0/field").asText()).isEqualTo("filter.unusedForDays");
        assertThat(api.post("/api/tokens/bulk-revoke", admin, Map.of("filter", Map.of("kind", "SOMETIMES"),
                "dryRun", true)).status()).isEqualTo(400);
        assertThat(ids("/api/tokens?userId=" + ownerId + "&status=ACTIVE", admin)).hasSize(4);
    }

    @Test
    void aJobRevokesEachMatchingTokenOnceWithItsIdInTheAuditAndResumesWithoutRevokingTwice() throws Exception {
        String admin = adminToken();
        String ownerId = api.createUser(admin, unique("offboarded"), "USER", Api.PASSWORD);
        String tag = unique("bulk");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tokens.add(token(admin, ownerId, Map.of("name", "t" + i, "tags", List.of(tag))));
        }
        String kept = token(admin, ownerId, Map.of("name", "kept"));

        Api.Response started = api.post("/api/tokens/bulk-revoke", admin, Map.of("filter", Map.of("tag", tag,
                "userId", ownerId), "reason", "offboarding", "dryRun", false));
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        String jobId = started.json().get("jobId").asText();
        assertThat(started.header("Location")).endsWith("/api/jobs/" + jobId);

        JsonNode job = awaitDone(jobId, admin);
        assertThat(job.get("type").asText()).isEqualTo("BULK_REVOKE");
        assertThat(job.get("total").asInt()).isEqualTo(6);
        assertThat(job.get("done").asInt()).isEqualTo(6);
        assertThat(job.get("finishedAt").isNull()).isFalse();
        assertThat(job.get("startedAt").isNull()).isFalse();
        assertThat(job.get("requestedBy").asText()).isNotBlank();
        for (String id : tokens) {
            JsonNode view = api.get("/api/tokens/" + id, admin).json();
            assertThat(view.get("status").asText()).isEqualTo("REVOKED");
            assertThat(view.get("revokeReason").asText()).isEqualTo("BULK: offboarding");
            JsonNode events = api.get("/api/audit/tokens/" + id + "/events", admin).json();
            JsonNode revoked = events.get(events.size() - 1);
            assertThat(revoked.get("type").asText()).isEqualTo("TokenRevoked");
            assertThat(revoked.at("/payload/jobId").asText()).isEqualTo(jobId);
            assertThat(revoked.at("/actor/username").asText()).isEqualTo("admin");
        }
        assertThat(api.get("/api/tokens/" + kept, admin).json().get("status").asText()).isEqualTo("ACTIVE");
        long revocations = revocations(tokens);
        assertThat(revocations).isEqualTo(6);

        // as if the instance had stopped halfway: half of the set not marked done, the job still running
        jdbc.update("UPDATE bulk_revoke_item SET done = false WHERE job_id = ?::uuid AND position > 3", jobId);
        jdbc.update("UPDATE bulk_revoke_job SET state = 'RUNNING', done = 3, finished_at = NULL WHERE id = ?::uuid",
                jobId);
        assertThat(api.get("/api/jobs/" + jobId, admin).json().get("state").asText()).isEqualTo("RUNNING");
        bulk.run(UUID.fromString(jobId));
        bulk.run(UUID.fromString(jobId));
        JsonNode resumed = api.get("/api/jobs/" + jobId, admin).json();
        assertThat(resumed.get("state").asText()).isEqualTo("DONE");
        assertThat(resumed.get("done").asInt()).isEqualTo(6);
        assertThat(revocations(tokens)).as("no token revoked twice").isEqualTo(6);

        assertThat(api.get("/api/jobs/" + UUID.randomUUID(), admin).status()).isEqualTo(404);
    }

    @Test
    void theCallersOwnSessionIsFlaggedAndNeverRevokedByItsOwnJob() throws Exception {
        String admin = adminToken();
        String name = unique("bulk-admin");
        String adminId = api.createUser(admin, name, "ADMIN", Api.PASSWORD);
        String own = api.login(name, Api.PASSWORD);
        String otherSession = api.login(name, Api.PASSWORD);
        Map<String, Object> filter = new HashMap<>(Map.of("userId", adminId, "kind", "TEMPORARY"));

        Api.Response preview = api.post("/api/tokens/bulk-revoke", own, Map.of("filter", filter, "dryRun", true));
        assertThat(preview.status()).as(preview.raw()).isEqualTo(200);
        assertThat(preview.json().get("callingTokenMatched").asBoolean()).isTrue();
        assertThat(preview.json().get("matched").asLong()).isEqualTo(1);

        Api.Response started = api.post("/api/tokens/bulk-revoke", own, Map.of("filter", filter,
                "reason", "sign out everywhere else", "dryRun", false));
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        JsonNode job = awaitDone(started.json().get("jobId").asText(), own);
        assertThat(job.get("total").asInt()).isEqualTo(1);
        assertThat(api.get("/api/me", own).status()).isEqualTo(200);
        assertThat(api.get("/api/me", otherSession).status()).isEqualTo(401);
    }

    private JsonNode awaitDone(String jobId, String token) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(30);
        while (true) {
            Api.Response job = api.get("/api/jobs/" + jobId, token);
            assertThat(job.status()).as(job.raw()).isEqualTo(200);
            if (!job.json().get("state").asText().equals("RUNNING") || Instant.now().isAfter(giveUp)) {
                assertThat(job.json().get("state").asText()).as(job.raw()).isEqualTo("DONE");
                return job.json();
            }
            Thread.sleep(100);
        }
    }

    private long revocations(List<String> tokens) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%TokenRevoked' "
                + "AND aggregate_identifier = ANY (?)", Long.class, (Object) tokens.toArray(String[]::new));
    }
}
