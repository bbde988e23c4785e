package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.token.MarkExpiryApproaching;
import io.tokenledger.api.token.TokenId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Warnings in the running application: planned, fired, replanned and cancelled in PostgreSQL. */
class ExpiryWarningFlowTest extends IntegrationTest {
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CommandGateway commands;

    @AfterEach
    void warningsOff() {
        api.delete(SettingsFlowTest.path(SettingsFlowTest.DAYS), adminToken());
    }

    static long await(LongSupplier read, long expected) {
        long deadline = System.currentTimeMillis() + 15_000;
        long last = read.getAsLong();
        while (last != expected && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = read.getAsLong();
        }
        return last;
    }

    private long warningEvents(String tokenId) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND payload_type LIKE '%.TokenExpiryApproaching'", Long.class, tokenId);
    }

    /** Pending warnings of a token, by threshold: its plan names the threshold, its task the time. */
    private long pendingWarnings(String tokenId, int days) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM expiry_warning w
                JOIN scheduled_tasks t ON t.task_name = 'token-expiry-warning' AND t.task_instance = w.token_id::text
                WHERE w.token_id = ?::uuid AND w.pending_days = ?""", Long.class, tokenId, days);
    }

    /** A token's pending warning task, whatever its threshold: none once the token is retired. */
    private long warningTasks(String tokenId) {
        return jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_name = 'token-expiry-warning' "
                + "AND task_instance = ?", Long.class, tokenId);
    }

    private String createToken(String admin, String userId, Instant expiresAt) {
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", unique("t"), "expiresAt", expiresAt.toString()));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    /** Under the ladder {@code 7}, a token of a new user expiring in 60 days, with its warning planned. */
    private String tokenWithAWarningPendingIn7Days(String admin, String name) {
        api.put(SettingsFlowTest.path(SettingsFlowTest.DAYS), admin, Map.of("value", "7"));
        String userId = api.createUser(admin, unique(name), "USER", Api.PASSWORD);
        String tokenId = createToken(admin, userId, Instant.now().plus(60, ChronoUnit.DAYS));
        assertThat(pendingWarnings(tokenId, 7)).as("planned in the creation's own transaction").isOne();
        return tokenId;
    }

    /** A token's warning plan: none once the token is retired. */
    private long plans(String tokenId) {
        return jdbc.queryForObject("SELECT count(*) FROM expiry_warning WHERE token_id = ?::uuid", Long.class,
                tokenId);
    }

    @Test
    void aTokenInsideTheWindowIsWarnedOnceAtOnce() throws InterruptedException {
        String admin = adminToken();
        assertThat(api.put(SettingsFlowTest.path(SettingsFlowTest.DAYS), admin, Map.of("value", "7")).status())
                .isEqualTo(200);
        String userId = api.createUser(admin, unique("soon"), "USER", Api.PASSWORD);
        String tokenId = createToken(admin, userId, Instant.now().plus(3, ChronoUnit.DAYS));

        assertThat(await(() -> warningEvents(tokenId), 1)).isEqualTo(1);
        Thread.sleep(2_500); // a further scheduler poll must not warn again
        assertThat(warningEvents(tokenId)).isEqualTo(1);
        // the firing rewrote its own task, in its own transaction, for what comes next: the token's expiry
        assertThat(jdbc.queryForList("SELECT picked, execution_time > now() + interval '2 days' AS later "
                + "FROM scheduled_tasks WHERE task_name = 'token-expiry-warning' AND task_instance = ?", tokenId))
                .containsExactly(Map.of("picked", false, "later", true));
        // the planned warning warned: the system did it, and says what fired
        com.fasterxml.jackson.databind.JsonNode warning = null;
        for (com.fasterxml.jackson.databind.JsonNode event : api.get("/api/audit/tokens/" + tokenId + "/events",
                admin).json()) {
            if (event.get("type").asText().equals("TokenExpiryApproaching")) {
                warning = event;
            }
        }
        assertThat(warning).isNotNull();
        assertThat(warning.at("/actor/id").asText()).isEqualTo("system");
        assertThat(warning.get("deadline").asText()).isEqualTo("token-expiry-warning");
        assertThat(warning.at("/payload/daysBefore").asInt()).isEqualTo(7);
    }

    @Test
    void theTaskOfAnUnknownTokenIsDroppedNotTriedAgain() {
        String unknown = UUID.randomUUID().toString();
        jdbc.update("""
                INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version,
                                             consecutive_failures)
                VALUES ('token-expiry-warning', ?, now(), false, 1, 0)""", unknown);
        // its command fails (no such token) and rolls back; the task is removed all the same, once
        assertThat(await(() -> warningTasks(unknown), 0)).isZero();
    }

    @Test
    void aSettingsChangeReplansAndClearingCancels() {
        String admin = adminToken();
        String tokenId = tokenWithAWarningPendingIn7Days(admin, "later");

        api.put(SettingsFlowTest.path(SettingsFlowTest.DAYS), admin, Map.of("value", "30;7"));
        assertThat(await(() -> pendingWarnings(tokenId, 30), 1)).isEqualTo(1);
        assertThat(pendingWarnings(tokenId, 7)).isZero();

        api.delete(SettingsFlowTest.path(SettingsFlowTest.DAYS), admin);
        assertThat(await(() -> pendingWarnings(tokenId, 30), 0)).isZero();
        assertThat(warningEvents(tokenId)).isZero();
    }

    @Test
    void revokingCancelsThePendingWarning() {
        String admin = adminToken();
        String tokenId = tokenWithAWarningPendingIn7Days(admin, "revoked");

        assertThat(api.post("/api/tokens/" + tokenId + "/revoke", admin, null).status()).isEqualTo(200);
        assertThat(pendingWarnings(tokenId, 7)).as("cancelled in the revocation's own transaction").isZero();
        assertThat(warningTasks(tokenId)).isZero();
        assertThat(plans(tokenId)).isZero();
    }

    @Test
    void rotatingCancelsTheOldWarningAndPlansTheSuccessors() {
        String admin = adminToken();
        String tokenId = tokenWithAWarningPendingIn7Days(admin, "rotated");

        Api.Response rotated = api.post("/api/tokens/" + tokenId + "/rotate", admin,
                Map.of("expiresAt", Instant.now().plus(90, ChronoUnit.DAYS).toString()));
        assertThat(rotated.status()).as(rotated.raw()).isIn(200, 201);
        String successor = rotated.json().get("id").asText();
        assertThat(warningTasks(tokenId)).isZero();
        assertThat(plans(tokenId)).isZero();
        assertThat(pendingWarnings(successor, 7)).isOne();
    }

    /**
     * A warning that another instance is firing at this very moment (db-scheduler has it picked) is that instance's
     * to finish: revoking must neither fail over it nor wait for it. The revocation ends the plan at once; the
     * firing then finds the token revoked, records nothing, and removes its task.
     */
    @Test
    void revokingWhileAnotherInstanceFiresTheWarningEndsThePlanAtOnce() {
        String admin = adminToken();
        String tokenId = tokenWithAWarningPendingIn7Days(admin, "firing");
        String firing = """
                UPDATE scheduled_tasks SET picked = true, picked_by = 'another-instance', last_heartbeat = now()
                WHERE task_name = 'token-expiry-warning' AND task_instance = ? RETURNING version""";
        long version = jdbc.queryForObject(firing, Long.class, tokenId);
        try {
            assertThat(api.post("/api/tokens/" + tokenId + "/revoke", admin, null).status()).isEqualTo(200);
            assertThat(plans(tokenId)).isZero();
            assertThat(warningTasks(tokenId)).as("left to the instance firing it").isOne();
            // that instance's firing: the token is revoked, nothing is recorded, its completion removes the task
            commands.sendAndWait(new MarkExpiryApproaching(TokenId.of(tokenId)));
            assertThat(warningEvents(tokenId)).isZero();
            assertThat(jdbc.queryForObject("SELECT version FROM scheduled_tasks WHERE task_name = "
                    + "'token-expiry-warning' AND task_instance = ?", Long.class, tokenId))
                    .as("untouched, so the completion's removal by version applies").isEqualTo(version);
        } finally {
            jdbc.update("DELETE FROM scheduled_tasks WHERE task_name = 'token-expiry-warning' AND task_instance = ?",
                    tokenId);
        }
    }
}
