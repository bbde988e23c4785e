package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenUsed;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Who did what to a token or user, from the event store; and a token's state at any instant. */
class AuditStreamTest extends IntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStore eventStore;

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static List<String> types(JsonNode events) {
        return list(events).stream().map(e -> e.get("type").asText()).toList();
    }

    private static JsonNode ofType(JsonNode events, String type) {
        return list(events).stream().filter(e -> e.get("type").asText().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void everyEventSaysWhoDidItFromWhereAndNeverShowsASecret() {
        String admin = adminToken();
        String adminId = api.get("/api/me", admin).json().get("id").asText();
        String requestId = "audit-" + UUID.randomUUID();
        String username = unique("audited");
        Api.Response registered = api.call("POST", "/api/users", Api.json(Map.of("username", username,
                "email", username + "@example.com", "role", "USER", "password", Api.PASSWORD)),
                Map.of("Authorization", "Bearer " + admin, "Content-Type", "application/json",
                        "User-Agent", "audit-test/1.0", "X-Request-Id", requestId));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.header("X-Request-Id")).isEqualTo(requestId);
        String userId = registered.json().get("id").asText();

        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "ci-deploy"));
        String tokenId = created.json().get("id").asText();
        String plaintext = created.json().get("token").asText();
        assertThat(api.get("/api/tokens/self", plaintext).status()).isEqualTo(200);
        assertThat(api.post("/api/tokens/" + tokenId + "/revoke", admin, Map.of("reason", "leaked")).status())
                .isEqualTo(200);

        Api.Response tokenEvents = api.get("/api/audit/tokens/" + tokenId + "/events", admin);
        assertThat(tokenEvents.status()).isEqualTo(200);
        JsonNode events = tokenEvents.json();
        // the use changed nothing about the token: it is telemetry, no event
        assertThat(types(events)).containsExactly("PermanentTokenCreated", "TokenRevoked");
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).get("sequence").asLong()).isEqualTo(i);
            assertThat(events.get(i).get("globalIndex").asLong()).isPositive();
            assertThat(events.get(i).get("correlationId").asText()).isNotBlank();
            assertThat(events.get(i).get("traceId").asText()).isNotBlank();
            assertThat(events.get(i).get("payload").has("hash")).isFalse();
        }
        JsonNode creation = ofType(events, "PermanentTokenCreated");
        assertThat(creation.at("/actor/id").asText()).isEqualTo(adminId);
        assertThat(creation.at("/actor/username").asText()).isEqualTo("admin");
        assertThat(creation.at("/actor/role").asText()).isEqualTo("ADMIN");
        assertThat(creation.get("clientIp").asText()).isEqualTo("127.0.0.1");
        assertThat(creation.at("/payload/tokenId").asText()).isEqualTo(tokenId);
        assertThat(creation.at("/payload/name").asText()).isEqualTo("ci-deploy");
        JsonNode revoke = ofType(events, "TokenRevoked");
        assertThat(revoke.at("/payload/reason").asText()).isEqualTo("leaked");
        assertThat(revoke.at("/actor/id").asText()).isEqualTo(adminId);
        assertThat(tokenEvents.raw()).doesNotContain(plaintext).doesNotContain(plaintext.substring(4, 36));

        // the user's history: their registration (as requested, from where) and their token's events
        String login = api.login(username, Api.PASSWORD);
        JsonNode userEvents = api.get("/api/audit/users/" + userId + "/events", admin).json();
        assertThat(types(userEvents)).startsWith("UserRegistered", "PermanentTokenCreated", "TokenRevoked")
                .contains("TemporaryTokenIssued");
        JsonNode registration = ofType(userEvents, "UserRegistered");
        assertThat(registration.get("requestId").asText()).isEqualTo(requestId);
        assertThat(registration.get("userAgent").asText()).isEqualTo("audit-test/1.0");
        assertThat(registration.get("payload").has("passwordHash")).isFalse();
        assertThat(ofType(userEvents, "TemporaryTokenIssued").at("/actor/username").asText()).isEqualTo(username);
        List<Long> order = list(userEvents).stream().map(e -> e.get("globalIndex").asLong()).toList();
        assertThat(order).isSorted();
        assertThat(api.get("/api/audit/users/" + userId + "/events", admin).raw()).doesNotContain(login);
    }

    @Test
    void aTokensStateAtAnyInstantFollowsItsHistory() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("state"), "USER", Api.PASSWORD);
        Instant before = Instant.now().minusSeconds(1);
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "deploy"));
        String tokenId = created.json().get("id").asText();
        String plaintext = created.json().get("token").asText();
        assertThat(api.get("/api/tokens/self", plaintext).status()).isEqualTo(200);
        api.post("/api/tokens/" + tokenId + "/revoke", admin, null);
        JsonNode events = api.get("/api/audit/tokens/" + tokenId + "/events", admin).json();
        Instant createdAt = Instant.parse(ofType(events, "PermanentTokenCreated").get("timestamp").asText());
        Instant revokedAt = Instant.parse(ofType(events, "TokenRevoked").get("timestamp").asText());

        String state = "/api/audit/tokens/" + tokenId + "/state?at=";
        Api.Response notYet = api.get(state + before, admin);
        assertThat(notYet.status()).isEqualTo(404);
        assertThat(notYet.contentType()).startsWith("application/problem+json");

        JsonNode fresh = api.get(state + createdAt, admin).json();
        assertThat(fresh.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(fresh.get("name").asText()).isEqualTo("deploy");
        assertThat(fresh.get("sequence").asLong()).isZero();
        assertThat(fresh.has("hash")).isFalse();
        // a use is not part of a token's state (the token's current view shows its last use)
        assertThat(fresh.has("lastUsedAt")).isFalse();

        JsonNode revoked = api.get(state + revokedAt, admin).json();
        assertThat(revoked.get("status").asText()).isEqualTo("REVOKED");
        assertThat(revoked.get("revokedBy").asText()).isEqualTo(api.get("/api/me", admin).json().get("id").asText());
        assertThat(api.get("/api/audit/tokens/" + tokenId + "/state", admin).json().get("status").asText())
                .isEqualTo("REVOKED");
        // past its expiry an active token reads as expired, as every read shows it
        JsonNode later = api.get(state + Instant.parse(fresh.get("expiresAt").asText()).plusSeconds(1), admin).json();
        assertThat(later.get("status").asText()).isEqualTo("REVOKED");

        assertThat(api.get(state + "yesterday", admin).status()).isEqualTo(400);
        assertThat(api.get("/api/audit/tokens/" + UUID.randomUUID() + "/state", admin).status()).isEqualTo(404);
        assertThat(api.get("/api/audit/tokens/" + UUID.randomUUID() + "/events", admin).status()).isEqualTo(404);
    }

    /**
     * Older versions stored a use as a {@code TokenUsed} event in the token's stream. It stays in the token's history
     * and the audit log as stored, and the token still loads with it to take a new event.
     */
    @Test
    void aUseStoredByAnOlderVersionStaysInTheHistoryAndTheTokenStillLoads() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("older"), "USER", Api.PASSWORD);
        String tokenId = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "older")).json()
                .get("id").asText();
        String type = jdbc.queryForObject("SELECT type FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND sequence_number = 0", String.class, tokenId);
        eventStore.publish(new GenericDomainEventMessage<>(type, tokenId, 1L,
                new TokenUsed(new TokenId(UUID.fromString(tokenId)), Instant.now(), "198.51.100.7")));

        Api.Response revoked = api.post("/api/tokens/" + tokenId + "/revoke", admin, Map.of("reason", "old"));
        assertThat(revoked.status()).as(revoked.raw()).isEqualTo(200);
        JsonNode events = api.get("/api/audit/tokens/" + tokenId + "/events", admin).json();
        assertThat(types(events)).containsExactly("PermanentTokenCreated", "TokenUsed", "TokenRevoked");
        assertThat(ofType(events, "TokenRevoked").get("sequence").asLong()).isEqualTo(2);
        assertThat(ofType(events, "TokenUsed").at("/payload/clientIp").asText()).isEqualTo("198.51.100.7");
        JsonNode state = api.get("/api/audit/tokens/" + tokenId + "/state", admin).json();
        assertThat(state.get("status").asText()).isEqualTo("REVOKED");
        assertThat(state.get("sequence").asLong()).isEqualTo(2);
        await().atMost(WAIT).until(() -> api.get("/api/audit/events?type=TokenUsed&tokenId=" + tokenId, admin)
                .json().get("total").asLong() == 1);
    }

    @Test
    void whatADeadlineDoesIsTheSystemsDoing() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("brief"), "USER", Api.PASSWORD);
        Instant expiresAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        String tokenId = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "brief", "expiresAt", expiresAt.toString())).json().get("id").asText();
        JsonNode events = await().atMost(WAIT).until(
                () -> api.get("/api/audit/tokens/" + tokenId + "/events", admin).json(),
                e -> types(e).contains("TokenExpired"));
        JsonNode expiry = ofType(events, "TokenExpired");
        assertThat(expiry.at("/actor/id").asText()).isEqualTo("system");
        assertThat(expiry.at("/actor/username").asText()).isEqualTo("system");
        assertThat(expiry.get("deadline").asText()).isEqualTo("token-expiry");
        assertThat(expiry.get("clientIp").isNull()).isTrue();
    }

    @Test
    void auditorsReadTheHistoryAndUsersDoNot() {
        String admin = adminToken();
        String auditorName = unique("auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);
        String userName = unique("user");
        String userId = api.createUser(admin, userName, "USER", Api.PASSWORD);
        String user = api.login(userName, Api.PASSWORD);
        String tokenId = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "t")).json()
                .get("id").asText();
        for (String path : List.of("/api/audit/tokens/" + tokenId + "/events", "/api/audit/tokens/" + tokenId
                + "/state", "/api/audit/users/" + userId + "/events")) {
            assertThat(api.get(path, auditor).status()).as(path).isEqualTo(200);
            assertThat(api.get(path, user).status()).as(path).isEqualTo(403);
            assertThat(api.get(path, null).status()).as(path).isEqualTo(401);
        }
    }
}
