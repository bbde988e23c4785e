package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Warning deadlines in the running application: planned, replanned and cancelled in PostgreSQL. */
class ExpiryWarningFlowTest extends IntegrationTest {
    @Autowired
    JdbcTemplate jdbc;

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

    /** Pending warning deadlines of a token's saga, by threshold. */
    private long pendingWarnings(String tokenId, int days) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM scheduled_tasks t
                JOIN association_value_entry a ON a.association_key = 'tokenId' AND a.association_value = ?
                WHERE position(convert_to(a.saga_id, 'UTF8') IN t.task_data) > 0
                  AND position(convert_to(?, 'UTF8') IN t.task_data) > 0""", Long.class,
                tokenId, "\"daysBefore\":" + days + "}");
    }

    private String createToken(String admin, String userId, Instant expiresAt) {
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", unique("t"), "expiresAt", expiresAt.toString()));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    /** Under the ladder {@code 7}, a token of a new user expiring in 60 days, once its saga planned the warning. */
    private String tokenWithAWarningPendingIn7Days(String admin, String name) {
        api.put(SettingsFlowTest.path(SettingsFlowTest.DAYS), admin, Map.of("value", "7"));
        String userId = api.createUser(admin, unique(name), "USER", "password-1");
        String tokenId = createToken(admin, userId, Instant.now().plus(60, ChronoUnit.DAYS));
        assertThat(await(() -> pendingWarnings(tokenId, 7), 1)).isEqualTo(1);
        return tokenId;
    }

    /** Saga associations of a token: none once its saga has ended. */
    private long sagaAssociations(String tokenId) {
        return jdbc.queryForObject("SELECT count(*) FROM association_value_entry WHERE association_value = ?",
                Long.class, tokenId);
    }

    @Test
    void aTokenInsideTheWindowIsWarnedOnceAtOnce() throws InterruptedException {
        String admin = adminToken();
        assertThat(api.put(SettingsFlowTest.path(SettingsFlowTest.DAYS), admin, Map.of("value", "7")).status())
                .isEqualTo(200);
        String userId = api.createUser(admin, unique("soon"), "USER", "password-1");
        String tokenId = createToken(admin, userId, Instant.now().plus(3, ChronoUnit.DAYS));

        assertThat(await(() -> warningEvents(tokenId), 1)).isEqualTo(1);
        Thread.sleep(2_500); // a further scheduler poll must not warn again
        assertThat(warningEvents(tokenId)).isEqualTo(1);
        // the saga's deadline warned: the system did it, and says which deadline
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
        assertThat(await(() -> pendingWarnings(tokenId, 7), 0)).isZero();
        assertThat(sagaAssociations(tokenId)).isZero();
    }

    /**
     * A warning deadline that another instance is firing at this very moment (db-scheduler has it picked) cannot be
     * cancelled; the saga that revoking ends must not fail over it (and be retried for as long as the other instance
     * runs it). Its handler, on that instance, then finds the saga ended.
     */
    @Test
    void revokingWhileAnotherInstanceFiresTheWarningEndsTheSagaAtOnce() {
        String admin = adminToken();
        String tokenId = tokenWithAWarningPendingIn7Days(admin, "firing");
        String firing = """
                UPDATE scheduled_tasks t SET picked = true, picked_by = 'another-instance', last_heartbeat = now()
                FROM association_value_entry a WHERE a.association_key = 'tokenId' AND a.association_value = ?
                  AND position(convert_to(a.saga_id, 'UTF8') IN t.task_data) > 0
                RETURNING t.task_instance""";
        String instance = jdbc.queryForObject(firing, String.class, tokenId);
        try {
            assertThat(api.post("/api/tokens/" + tokenId + "/revoke", admin, null).status()).isEqualTo(200);
            assertThat(await(() -> sagaAssociations(tokenId), 0)).isZero();
        } finally {
            jdbc.update("DELETE FROM scheduled_tasks WHERE task_instance = ?", instance);
        }
    }
}
