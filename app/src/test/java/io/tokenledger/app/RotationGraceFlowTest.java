package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Rotation without downtime over real HTTP on embedded PostgreSQL: the old token keeps working, ROTATING, until its
 * grace ends; a use of it after the new token's first use raises one ROTATED_TOKEN_REUSED fault and revokes nothing.
 */
class RotationGraceFlowTest extends IntegrationTest {

    private static JsonNode await(Supplier<JsonNode> read, Predicate<JsonNode> until, Duration patience) {
        long deadline = System.currentTimeMillis() + patience.toMillis();
        JsonNode last = read.get();
        while (!until.test(last) && System.currentTimeMillis() < deadline) {
            sleep(100);
            last = read.get();
        }
        return last;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> faults(String admin, String tokenId) {
        List<JsonNode> found = new ArrayList<>();
        api.get("/api/faults?tokenId=" + tokenId + "&size=200", admin).json().get("items").forEach(found::add);
        return found;
    }

    private JsonNode faultsNode(String admin, String tokenId) {
        return api.get("/api/faults?tokenId=" + tokenId + "&size=200", admin).json().get("items");
    }

    @Test
    void theOldTokenWorksDuringTheGraceAndItsReuseAfterTheNewOnesFirstUseRaisesOneFault() {
        String admin = adminToken();
        String name = unique("graceful");
        String userId = api.createUser(admin, name, "USER", Api.PASSWORD);
        JsonNode old = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "deploy", "scopes", List.of("read_api"))).json();
        String oldId = old.get("id").asText();
        String oldPlain = old.get("token").asText();

        Instant before = Instant.now();
        Api.Response rotated = api.post("/api/tokens/" + oldId + "/rotate", admin, Map.of("gracePeriod", "PT1H"));
        assertThat(rotated.status()).isEqualTo(201);
        String newId = rotated.json().get("id").asText();
        String newPlain = rotated.json().get("token").asText();
        assertThat(rotated.json().get("scopes").toString()).isEqualTo("[\"read_api\"]");
        assertThat(rotated.json().get("status").asText()).isEqualTo("ACTIVE");

        // the old token keeps working, and says so
        Api.Response self = api.get("/api/tokens/self", oldPlain);
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.json().get("status").asText()).isEqualTo("ROTATING");
        assertThat(self.json().get("supersededBy").asText()).isEqualTo(newId);
        Instant graceEndsAt = Instant.parse(self.json().get("graceEndsAt").asText());
        assertThat(graceEndsAt).isBetween(before.plus(Duration.ofHours(1)), Instant.now().plus(Duration.ofHours(1)));
        assertThat(self.header("Token-Expiration")).isEqualTo(graceEndsAt.toString());
        JsonNode view = api.get("/api/tokens/" + oldId, admin).json();
        assertThat(view.get("status").asText()).isEqualTo("ROTATING");
        assertThat(view.get("supersededBy").asText()).isEqualTo(newId);
        assertThat(view.get("replacedBy").asText()).isEqualTo(newId);
        JsonNode listed = api.get("/api/tokens?status=ROTATING&userId=" + userId, admin).json();
        assertThat(listed.get("items").findValuesAsText("id")).containsExactly(oldId);

        // a use of the old token before the new one's first use is no reuse
        sleep(1_500);
        assertThat(faults(admin, oldId)).isEmpty();

        assertThat(api.get("/api/tokens/self", newPlain).status()).isEqualTo(200);
        assertThat(api.get("/api/tokens/self", oldPlain).status()).isEqualTo(200);
        JsonNode raised = await(() -> faultsNode(admin, oldId), f -> f.size() > 0, Duration.ofSeconds(20));
        assertThat(raised).hasSize(1);
        assertThat(raised.get(0).get("type").asText()).isEqualTo("ROTATED_TOKEN_REUSED");
        assertThat(raised.get(0).get("status").asText()).isEqualTo("OPEN");
        assertThat(raised.get(0).get("username").asText()).isEqualTo(name);
        assertThat(raised.get(0).get("detail").asText()).contains(newId);
        // the console's Faults page, newest first, names it
        String page = api.call("GET", "/faults?status=OPEN", null, Map.of("Cookie", "tl_session=" + admin)).raw();
        assertThat(page).contains("Reused after rotation");

        // more uses: still one fault, and the old token still works
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/api/tokens/self", oldPlain).status()).isEqualTo(200);
            sleep(1_200);
        }
        sleep(2_500);
        assertThat(faults(admin, oldId)).hasSize(1);
        assertThat(api.get("/api/tokens/" + oldId, admin).json().get("status").asText()).isEqualTo("ROTATING");

        String history = api.get("/api/audit/tokens/" + oldId + "/events", admin).json().toString();
        assertThat(history).contains("RotatedTokenReused").doesNotContain(oldPlain).doesNotContain(newPlain);

        // revoking a rotating token ends it at once; the reuse fault stays
        Api.Response revoked = api.post("/api/tokens/" + oldId + "/revoke", admin, Map.of("reason", "done"));
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("status").asText()).isEqualTo("REVOKED");
        assertThat(api.get("/api/tokens/self", oldPlain).status()).isEqualTo(401);
        assertThat(faults(admin, oldId).get(0).get("status").asText()).isEqualTo("OPEN");
        assertThat(api.get("/api/tokens/self", newPlain).status()).isEqualTo(200);
    }

    @Test
    void whenTheGraceEndsTheOldTokenIsRefusedAndExpired() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("short"), "USER", Api.PASSWORD);
        JsonNode old = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "deploy")).json();
        String oldId = old.get("id").asText();
        String oldPlain = old.get("token").asText();

        Api.Response rotated = api.post("/api/tokens/" + oldId + "/rotate", oldPlain, Map.of("gracePeriod", "PT2S"));
        assertThat(rotated.status()).isEqualTo(201);
        String newPlain = rotated.json().get("token").asText();
        assertThat(api.get("/api/tokens/self", oldPlain).status()).isEqualTo(200);
        assertThat(api.post("/api/tokens/" + oldId + "/rotate", admin, Map.of("gracePeriod", "PT1H")).status())
                .as("a rotating token is not rotated again").isEqualTo(409);
        assertThat(api.post("/api/tokens/" + oldId + "/rotate", admin, null).status()).isEqualTo(409);

        sleep(2_100);
        assertThat(api.get("/api/tokens/self", oldPlain).status()).isEqualTo(401);
        assertThat(api.get("/api/tokens/" + oldId, admin).json().get("status").asText()).isEqualTo("EXPIRED");
        // the deadline fires and stores the expiry
        String history = await(() -> api.get("/api/audit/tokens/" + oldId + "/events", admin).json(),
                h -> h.toString().contains("TokenExpired"), Duration.ofSeconds(20)).toString();
        assertThat(history).contains("TokenRotated", "TokenExpired");
        assertThat(api.get("/api/tokens/self", newPlain).status()).isEqualTo(200);
    }

    /**
     * Introspection asks the same rule: a rotating token is active, with {@code exp} at the end of its grace, until a
     * leak report ends it like any working token.
     */
    @Test
    void introspectionSeesARotatingTokenActiveUntilALeakReportRevokesIt() {
        String admin = adminToken();
        JsonNode client = api.post("/api/clients", admin, Map.of("name", unique("rs"))).json();
        String basic = "Basic " + Base64.getEncoder().encodeToString((client.get("clientId").asText() + ":"
                + client.get("clientSecret").asText()).getBytes(StandardCharsets.UTF_8));
        String userId = api.createUser(admin, unique("introspected"), "USER", Api.PASSWORD);
        JsonNode old = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "deploy")).json();
        String oldId = old.get("id").asText();
        String oldPlain = old.get("token").asText();
        assertThat(api.post("/api/tokens/" + oldId + "/rotate", admin, Map.of("gracePeriod", "PT1H")).status())
                .isEqualTo(201);
        Instant graceEndsAt = Instant.parse(api.get("/api/tokens/" + oldId, admin).json().get("graceEndsAt").asText());

        JsonNode described = introspect(basic, oldPlain);
        assertThat(described.get("active").asBoolean()).isTrue();
        assertThat(described.get("exp").asLong()).isEqualTo(graceEndsAt.getEpochSecond());

        assertThat(api.post("/api/credentials/revoke", null, Map.of("credentials", List.of(oldPlain),
                "source", "scanner")).status()).isEqualTo(202);
        assertThat(introspect(basic, oldPlain).get("active").asBoolean()).isFalse();
        JsonNode view = api.get("/api/tokens/" + oldId, admin).json();
        assertThat(view.get("status").asText()).isEqualTo("REVOKED");
        assertThat(view.get("revokeReason").asText()).isEqualTo("REPORTED_LEAKED");
    }

    private JsonNode introspect(String basic, String token) {
        return api.call("POST", "/api/oauth/introspect", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", basic)).json();
    }

    @Test
    void aBadOrTooLongGracePeriodIsABadRequestAndNothingIsStored() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("badgrace"), "USER", Api.PASSWORD);
        JsonNode old = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "deploy")).json();
        String oldId = old.get("id").asText();
        for (String bad : List.of("P8D", "PT0S", "-PT1H", "tomorrow", "P7DT1S")) {
            Api.Response answer = api.post("/api/tokens/" + oldId + "/rotate", admin, Map.of("gracePeriod", bad));
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().at("/errors/0/field").asText()).isEqualTo("gracePeriod");
        }
        assertThat(api.get("/api/tokens/" + oldId, admin).json().get("status").asText()).isEqualTo("ACTIVE");
        assertThat(api.get("/api/users/" + userId + "/tokens", admin).json().get("total").asLong()).isEqualTo(1);
        assertThat(api.post("/api/tokens/" + oldId + "/rotate", admin, Map.of("gracePeriod", "P7D")).status())
                .isEqualTo(201);
    }
}
