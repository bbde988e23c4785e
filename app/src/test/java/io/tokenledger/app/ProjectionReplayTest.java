package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code /api/admin/projections}: positions of every processing group, and a replay that rebuilds a read model
 * into its twin tables while the live ones serve reads, then swaps them; the result equals the live read model
 * row for row, and nothing is mailed, raised or scheduled again.
 */
class ProjectionReplayTest extends IntegrationTest {
    /** The replayable groups and the tables each one writes. */
    private static final Map<String, List<String>> TABLES = Map.of(
            "token-inventory", List.of("token_view", "token_owner"),
            "users", List.of("user_view"),
            "credentials", List.of("credential", "credential_user"),
            "app-config", List.of("app_config_view"),
            "scopes", List.of("scope_view"),
            "clients", List.of("client_view"));
    private static final List<String> HANDLED = List.of("UserRegistered", "UserRoleChanged", "UserDisabled",
            "UserEnabled", "UserPasswordChanged", "PermanentTokenCreated", "TemporaryTokenIssued", "TokenRevoked",
            "TokenRotated", "TokenExpired", "AppConfigChanged", "AppConfigCleared");

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;

    /** Users and tokens with some history: roles changed, a user disabled, tokens revoked, rotated and used. */
    private String history(String admin) {
        String alice = api.createUser(admin, unique("alice"), "USER", Api.PASSWORD);
        String bob = api.createUser(admin, unique("bob"), "USER", Api.PASSWORD + "2");
        assertThat(api.put("/api/users/" + bob + "/role", admin, Map.of("role", "AUDITOR")).status()).isEqualTo(200);
        List<String> used = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Api.Response created = api.post("/api/users/" + (i % 2 == 0 ? alice : bob) + "/tokens", admin,
                    Map.of("name", "token-" + i));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            String id = created.json().get("id").asText();
            if (i % 3 == 0) {
                assertThat(api.post("/api/tokens/" + id + "/revoke", admin, Map.of("reason", "leaked")).status())
                        .isEqualTo(200);
            } else if (i == 4) {
                assertThat(api.post("/api/tokens/" + id + "/rotate", admin, null).status()).isEqualTo(201);
            } else {
                assertThat(api.get("/api/me", created.json().get("token").asText()).status()).isEqualTo(200);
                used.add(id);
            }
        }
        api.login(jdbc.queryForObject("SELECT username FROM user_view WHERE id = ?::uuid", String.class, alice),
                Api.PASSWORD);
        // scopes registered, one deleted, tokens carrying them; clients rotated and disabled
        String scope = unique("replayed");
        assertThat(api.post("/api/scopes", admin, Map.of("name", scope, "description", "kept")).status())
                .isEqualTo(201);
        String gone = unique("gone");
        assertThat(api.post("/api/scopes", admin, Map.of("name", gone, "description", "")).status()).isEqualTo(201);
        assertThat(api.delete("/api/scopes/" + gone, admin).status()).isEqualTo(204);
        assertThat(api.post("/api/users/" + alice + "/tokens", admin,
                Map.of("name", "scoped", "scopes", List.of("read_api", scope))).status()).isEqualTo(201);
        String client = api.post("/api/clients", admin, Map.of("name", unique("replayed"))).json().get("id")
                .asText();
        assertThat(api.post("/api/clients/" + client + "/rotate-secret", admin, null).status()).isEqualTo(201);
        assertThat(api.post("/api/clients/" + client + "/disable", admin, null).status()).isEqualTo(200);
        assertThat(api.post("/api/users/" + bob + "/disable", admin, null).status()).isEqualTo(200);
        // set and cleared again: other tests rely on the default lifetime
        String lifetime = "/api/settings/app-config/Permanent%20Token%20Max%20Lifetime%20Days";
        assertThat(api.put(lifetime, admin, Map.of("value", "200")).status()).isEqualTo(200);
        assertThat(api.delete(lifetime, admin).status()).isBetween(200, 204);
        // uses are written off the request path: wait until they are
        awaitTrue(() -> jdbc.queryForObject("SELECT count(*) FROM token_usage WHERE token_id IN ("
                + String.join(",", used.stream().map(u -> "'" + u + "'").toList()) + ")", Long.class) == used.size(),
                "uses written");
        // and a first use from an address is told to its token (an event while it is active) off the request path
        awaitTrue(() -> jdbc.queryForObject("SELECT count(*) FROM token_address WHERE announced AND token_id IN ("
                + String.join(",", used.stream().map(u -> "'" + u + "'").toList()) + ")", Long.class) == used.size(),
                "first uses told to their tokens");
        return alice;
    }

    private JsonNode projections(String admin) {
        Api.Response response = api.get("/api/admin/projections", admin);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode named(JsonNode list, String name) {
        return StreamSupport.stream(list.spliterator(), false).filter(p -> p.get("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no projection " + name + " in " + list));
    }

    /** Until the store stops growing and every replayable group has reached its head. */
    private long awaitQuiet(String admin) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        long head = -1;
        while (true) {
            JsonNode list = projections(admin);
            long now = named(list, "users").get("headPosition").asLong();
            boolean caughtUp = TABLES.keySet().stream().allMatch(g -> named(list, g).get("lag").asLong() == 0
                    && !named(list, g).get("replaying").asBoolean());
            if (caughtUp && now == head) {
                return head;
            }
            head = caughtUp ? now : -1;
            assertThat(System.currentTimeMillis()).as("projections caught up in time").isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private Map<String, List<Map<String, Object>>> snapshot() {
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        TABLES.values().stream().flatMap(List::stream).sorted()
                .forEach(t -> rows.put(t, Rows.comparable(jdbc.queryForList("SELECT * FROM " + t + " ORDER BY 1"))));
        return rows;
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    }

    private JsonNode awaitReplayed(String admin, String group) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonNode p = named(projections(admin), group);
            if (!p.get("replaying").asBoolean()) {
                assertThat(p.at("/replayProgress/state").asText()).as(p.toString()).isEqualTo("DONE");
                return p;
            }
            assertThat(System.currentTimeMillis()).as("replay of " + group + " done in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void aReplayRebuildsEveryReadModelRowForRowAndProducesNothingElse() throws Exception {
        String admin = adminToken();
        history(admin);
        assertThat(api.get("/api/me", admin).status()).isEqualTo(200);
        long head = awaitQuiet(admin);
        Map<String, List<Map<String, Object>>> before = snapshot();
        assertThat(before.get("token_view")).hasSizeGreaterThanOrEqualTo(6);
        String lastUses = "SELECT count(*) FROM token_usage u JOIN token_view v ON v.id = u.token_id";
        long used = jdbc.queryForObject(lastUses, Long.class);
        long faults = count("fault");
        long notifications = count("notification");
        long tasks = count("scheduled_tasks");
        // a live row gone wrong: the rebuild restores it from the events
        jdbc.update("UPDATE token_view SET name = 'tampered' WHERE id = (SELECT id FROM token_view LIMIT 1)");

        for (String group : TABLES.keySet()) {
            Api.Response started = api.post("/api/admin/projections/" + group + "/replay", admin, null);
            assertThat(started.status()).as(started.raw()).isEqualTo(202);
            assertThat(started.json().get("name").asText()).isEqualTo(group);
            JsonNode done = awaitReplayed(admin, group);
            assertThat(done.get("status").asText()).isEqualTo("RUNNING");
            assertThat(done.at("/replayProgress/percent").asDouble()).isEqualTo(100.0);
            assertThat(done.at("/replayProgress/eventsApplied").asLong()).isPositive();
            assertThat(done.at("/replayProgress/finishedAt").isTextual()).isTrue();
        }
        // the replays stored nothing but the record of their own start (for the audit log), one each
        assertThat(awaitQuiet(admin)).isEqualTo(head + TABLES.size());
        assertThat(jdbc.queryForList("SELECT payload_type FROM domain_event_entry WHERE global_index > ?",
                String.class, head)).as("events stored by the replays")
                .containsOnly("io.tokenledger.api.replay.ProjectionReplayStarted").hasSize(TABLES.size());

        Map<String, List<Map<String, Object>>> after = snapshot();
        for (String table : before.keySet()) {
            assertThat(after.get(table)).as(table).containsExactlyElementsOf(before.get(table));
        }
        assertThat(count("fault")).isEqualTo(faults);
        assertThat(count("notification")).isEqualTo(notifications);
        assertThat(count("scheduled_tasks")).isEqualTo(tasks);
        // last uses are no events: the rebuilt inventory keeps every one
        assertThat(jdbc.queryForObject(lastUses, Long.class)).isGreaterThanOrEqualTo(used).isGreaterThanOrEqualTo(3);
        // the twins are dropped, and the live tables keep their index and constraint names
        for (String table : before.keySet()) {
            assertThat(jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, table + "_replay"))
                    .as(table + "_replay dropped").isTrue();
        }
        assertThat(jdbc.queryForList("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'token_view'::regclass",
                String.class)).contains("token_view_pkey", "token_view_user", "token_view_name");
        assertThat(jdbc.queryForList("SELECT conname FROM pg_constraint WHERE conrelid = 'credential'::regclass",
                String.class)).contains("credential_pkey", "credential_token_hash_key");
        assertThat(jdbc.queryForList("SELECT contype FROM pg_constraint WHERE conname = 'credential_pkey'",
                String.class)).containsExactly("p");

        // the rebuilt tables are live: new events land in them, and tokens still authenticate
        String carol = api.createUser(admin, unique("carol"), "USER", Api.PASSWORD + "3");
        Api.Response token = api.post("/api/users/" + carol + "/tokens", admin, Map.of("name", "after-replay"));
        assertThat(token.status()).isEqualTo(201);
        assertThat(api.get("/api/me", token.json().get("token").asText()).status()).isEqualTo(200);
        assertThat(api.get("/api/tokens/" + token.json().get("id").asText(), admin).json().get("username").asText())
                .startsWith("carol");
    }

    @Test
    void readsKeepWorkingWhileAReplayRunsAndASecondReplayIsRefused() throws Exception {
        String admin = adminToken();
        String alice = history(admin);
        awaitQuiet(admin);
        int tokens = api.get("/api/users/" + alice + "/tokens", admin).json().get("total").asInt();
        // hold the rebuild at its start: it first drops a twin left by a replay that failed, here one in use
        jdbc.execute("CREATE TABLE IF NOT EXISTS token_view_replay (id UUID)");
        try (Connection blocker = dataSource.getConnection(); Statement sql = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            sql.execute("LOCK TABLE token_view_replay IN ACCESS EXCLUSIVE MODE");
            Api.Response started = api.post("/api/admin/projections/token-inventory/replay", admin, null);
            assertThat(started.status()).as(started.raw()).isEqualTo(202);
            assertThat(started.json().get("replaying").asBoolean()).isTrue();
            assertThat(started.json().get("status").asText()).isEqualTo("REPLAYING");

            Api.Response again = api.post("/api/admin/projections/token-inventory/replay", admin, null);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.contentType()).startsWith("application/problem+json");
            assertThat(again.json().get("detail").asText()).contains("already running");

            Api.Response read = api.get("/api/users/" + alice + "/tokens", admin);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().get("total").asInt()).isEqualTo(tokens);
            assertThat(named(projections(admin), "token-inventory").get("replaying").asBoolean()).isTrue();
            blocker.rollback();
        }
        awaitReplayed(admin, "token-inventory");
        assertThat(api.get("/api/users/" + alice + "/tokens", admin).json().get("total").asInt()).isEqualTo(tokens);
    }

    /**
     * The twins are copies of the live tables made when the rebuild starts, so a change to a live table (a column,
     * an index, a storage parameter) needs no migration of a twin. ({@code credential}, as every read of it names
     * its columns.)
     */
    @Test
    void aColumnAndAnIndexAddedToALiveTableAreInTheRebuiltOne() throws Exception {
        String admin = adminToken();
        history(admin);
        awaitQuiet(admin);
        jdbc.execute("ALTER TABLE credential ADD COLUMN note VARCHAR(20) NOT NULL DEFAULT 'kept'");
        jdbc.execute("CREATE INDEX credential_note ON credential (note)");
        jdbc.execute("ALTER TABLE credential SET (fillfactor = 90)");
        try {
            Map<String, List<Map<String, Object>>> before = snapshot();
            assertThat(api.post("/api/admin/projections/credentials/replay", admin, null).status()).isEqualTo(202);
            awaitReplayed(admin, "credentials");

            assertThat(snapshot().get("credential")).containsExactlyElementsOf(before.get("credential"));
            assertThat(jdbc.queryForList("SELECT DISTINCT note FROM credential", String.class)).containsExactly("kept");
            assertThat(jdbc.queryForList("SELECT indexrelid::regclass::text FROM pg_index"
                    + " WHERE indrelid = 'credential'::regclass", String.class)).contains("credential_note");
            assertThat(jdbc.queryForObject("SELECT relpersistence FROM pg_class WHERE oid = 'credential'::regclass",
                    String.class)).as("logged again").isEqualTo("p");
            assertThat(jdbc.queryForObject("SELECT array_to_string(reloptions, ',') FROM pg_class"
                    + " WHERE oid = 'credential'::regclass", String.class)).isEqualTo("fillfactor=90");
        } finally {
            jdbc.execute("ALTER TABLE credential RESET (fillfactor)");
            jdbc.execute("DROP INDEX IF EXISTS credential_note");
            jdbc.execute("ALTER TABLE credential DROP COLUMN IF EXISTS note");
        }
    }

    @Test
    void listsEveryGroupWithItsPositionAndWhetherItCanBeReplayed() throws Exception {
        String admin = adminToken();
        awaitQuiet(admin);
        JsonNode list = projections(admin);
        for (String group : TABLES.keySet()) {
            JsonNode p = named(list, group);
            assertThat(p.get("replayable").asBoolean()).isTrue();
            assertThat(p.get("status").asText()).isEqualTo("RUNNING");
            assertThat(p.get("position").asLong()).isEqualTo(p.get("headPosition").asLong());
            assertThat(p.get("lag").asLong()).isZero();
        }
        for (String never : List.of("notifier", "audit-chain")) {
            assertThat(named(list, never).get("replayable").asBoolean()).as(never).isFalse();
            Api.Response refused = api.post("/api/admin/projections/" + never + "/replay", admin, null);
            assertThat(refused.status()).as(never).isEqualTo(409);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("detail").asText()).contains("cannot be replayed");
        }
        assertThat(api.post("/api/admin/projections/notifier/replay", admin, null).json().get("detail").asText())
                .contains("e-mails");
        Api.Response unknown = api.post("/api/admin/projections/no-such-group/replay", admin, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
    }

    @Test
    void onlyAdminsSeeOrReplayProjections() {
        String admin = adminToken();
        String auditor = unique("auditor");
        api.createUser(admin, auditor, "AUDITOR", Api.PASSWORD + "4");
        String auditorToken = api.login(auditor, Api.PASSWORD + "4");
        assertThat(api.get("/api/admin/projections", auditorToken).status()).isEqualTo(403);
        assertThat(api.post("/api/admin/projections/users/replay", auditorToken, null).status()).isEqualTo(403);
        assertThat(api.get("/api/admin/projections", null).status()).isEqualTo(401);
        assertThat(api.post("/api/admin/projections/users/replay", null, null).status()).isEqualTo(401);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
