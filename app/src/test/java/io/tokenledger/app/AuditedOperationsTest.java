package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Operations that change what admins see without a command on an aggregate, acknowledging a fault and rebuilding a
 * read model, leave a trace in the audit log: who, from where and when, like every change.
 */
class AuditedOperationsTest extends IntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    EventGateway events;
    @Autowired
    JdbcTemplate jdbc;

    private List<JsonNode> audited(String admin, String query) {
        Api.Response response = api.get("/api/audit/events?size=200&" + query, admin);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return StreamSupport.stream(response.json().get("items").spliterator(), false).toList();
    }

    /** The entry is linked into the hash chain, and the chain still verifies. */
    private void chainedAndVerified(String admin, JsonNode entry) {
        long globalIndex = entry.get("globalIndex").asLong();
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM audit_chain WHERE global_index = ?", Long.class, globalIndex) == 1);
        JsonNode verify = api.get("/api/audit/verify", admin).json();
        assertThat(verify.get("verified").asBoolean()).as(verify.toString()).isTrue();
    }

    @Test
    void aFaultSilencedByAnAdminLeavesATraceInTheAuditLogWithWhoAndWhen() {
        String admin = adminToken();
        String adminId = api.get("/api/me", admin).json().get("id").asText();
        String ownerId = api.createUser(admin, unique("owner"), "USER", Api.PASSWORD);
        JsonNode token = api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", "deploy",
                "expiresAt", LocalDate.now(ZoneOffset.UTC).plusDays(7).toString())).json();
        String tokenId = token.get("id").asText();
        events.publish(new TokenExpiryApproaching(TokenId.of(tokenId), UserId.of(ownerId), "deploy",
                token.get("hint").asText(), Instant.parse(token.get("expiresAt").asText()), 7,
                Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        String faultId = await().atMost(WAIT).until(() -> api.get("/api/faults?tokenId=" + tokenId, admin).json(),
                f -> f.get("total").asLong() == 1).at("/items/0/id").asText();

        Instant before = Instant.now().minusSeconds(1);
        Api.Response acknowledged = api.call("POST", "/api/faults/" + faultId + "/acknowledge", null,
                Map.of("Authorization", "Bearer " + admin, "X-Request-Id", "ack-" + faultId));
        assertThat(acknowledged.status()).isEqualTo(200);
        assertThat(api.post("/api/faults/" + faultId + "/acknowledge", admin, null).status()).isEqualTo(200);

        List<JsonNode> entries = audited(admin, "type=FaultAcknowledged&tokenId=" + tokenId);
        assertThat(entries).as("the acknowledgement in the audit log, once").hasSize(1);
        JsonNode entry = entries.get(0);
        assertThat(entry.at("/payload/faultId").asText()).isEqualTo(faultId);
        assertThat(entry.at("/payload/type").asText()).isEqualTo("TOKEN_EXPIRING");
        assertThat(entry.at("/payload/daysBefore").asInt()).isEqualTo(7);
        assertThat(entry.at("/actor/id").asText()).isEqualTo(adminId);
        assertThat(entry.at("/actor/username").asText()).isEqualTo("admin");
        assertThat(entry.at("/actor/role").asText()).isEqualTo("ADMIN");
        assertThat(entry.get("clientIp").asText()).isNotBlank();
        assertThat(entry.get("requestId").asText()).isEqualTo("ack-" + faultId);
        Instant at = Instant.parse(entry.get("timestamp").asText());
        assertThat(at).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(at).isCloseTo(Instant.parse(acknowledged.json().get("acknowledgedAt").asText()),
                org.assertj.core.api.Assertions.within(2, ChronoUnit.SECONDS));
        // filed under the token's owner too, and found by its actor
        assertThat(audited(admin, "type=FaultAcknowledged&userId=" + ownerId)).hasSize(1);
        assertThat(audited(admin, "type=FaultAcknowledged&actorId=" + adminId))
                .anyMatch(e -> e.at("/payload/faultId").asText().equals(faultId));
        chainedAndVerified(admin, entry);
    }

    @Test
    void aProjectionReplayStartedByAnAdminLeavesATraceInTheAuditLogWithWhoAndWhen() {
        String admin = adminToken();
        String adminId = api.get("/api/me", admin).json().get("id").asText();
        Instant before = Instant.now().minusSeconds(1);
        Api.Response started = api.call("POST", "/api/admin/projections/app-config/replay", null,
                Map.of("Authorization", "Bearer " + admin, "X-Request-Id", "replay-" + before.toEpochMilli()));
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        await().atMost(WAIT).until(() -> {
            for (JsonNode p : api.get("/api/admin/projections", admin).json()) {
                if (p.get("name").asText().equals("app-config")) {
                    return !p.get("replaying").asBoolean();
                }
            }
            return false;
        });

        List<JsonNode> entries = audited(admin, "type=ProjectionReplayStarted&actorId=" + adminId
                + "&from=" + before).stream()
                .filter(e -> e.get("requestId").asText().equals("replay-" + before.toEpochMilli())).toList();
        assertThat(entries).as("the replay in the audit log, once").hasSize(1);
        JsonNode entry = entries.get(0);
        assertThat(entry.at("/payload/projection").asText()).isEqualTo("app-config");
        assertThat(entry.at("/payload/headGlobalIndex").asLong()).isPositive()
                .isLessThan(entry.get("globalIndex").asLong());
        assertThat(entry.at("/actor/username").asText()).isEqualTo("admin");
        assertThat(entry.at("/actor/role").asText()).isEqualTo("ADMIN");
        assertThat(entry.get("clientIp").asText()).isNotBlank();
        assertThat(Instant.parse(entry.get("timestamp").asText())).isBetween(before, Instant.now());
        chainedAndVerified(admin, entry);
    }
}
