package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

/**
 * Previews of App Config changes over real HTTP ({@code PUT …?dryRun=true}): checked as the change is, answered with
 * the impact on existing tokens, and nothing changes (the App Config, the tokens, their faults read the same after).
 */
class AppConfigPreviewTest extends IntegrationTest {

    private static String path(String key) {
        return "/api/settings/app-config/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> sampleIds(JsonNode group) {
        List<String> ids = new ArrayList<>();
        group.get("sample").forEach(v -> ids.add(v.get("id").asText()));
        return ids;
    }

    private JsonNode createdDaysAgo(String admin, String ownerId, String name, int days) {
        Clock real = GenericEventMessage.clock;
        GenericEventMessage.clock = Clock.offset(real, Duration.ofDays(-days));
        try {
            return api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", name)).json();
        } finally {
            GenericEventMessage.clock = real;
        }
    }

    @Test
    void aMaxLifetimePreviewCountsTheTokensExpiringLaterAndChangesNothing() {
        String admin = adminToken();
        String ownerId = api.createUser(admin, unique("long"), "USER", Api.PASSWORD);
        String tokenId = api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", "year")).json()
                .get("id").asText();
        String config = api.get("/api/settings/app-config", admin).raw();
        String token = api.get("/api/tokens/" + tokenId, admin).raw();

        Api.Response bad = api.put(path("Permanent Token Max Lifetime Days") + "?dryRun=true", admin,
                Map.of("value", "0"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");

        Api.Response preview = api.put(path("Permanent Token Max Lifetime Days") + "?dryRun=true", admin,
                Map.of("value", " 30"));
        assertThat(preview.status()).isEqualTo(200);
        JsonNode body = preview.json();
        assertThat(body.get("key").asText()).isEqualTo("Permanent Token Max Lifetime Days");
        assertThat(body.get("value").asText()).isEqualTo("30");
        JsonNode exceeding = body.at("/impact/exceedingMaximum");
        assertThat(exceeding.get("count").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(exceeding.get("sample").size()).isBetween(1, 50);
        assertThat(sampleIds(exceeding)).contains(tokenId);
        assertThat(body.at("/impact/kept").asBoolean()).isTrue();
        assertThat(body.at("/impact/message").asText()).contains("keep their expiry");

        assertThat(api.get("/api/settings/app-config", admin).raw()).isEqualTo(config);
        assertThat(api.get("/api/tokens/" + tokenId, admin).raw()).isEqualTo(token);
    }

    @Test
    void aLadderPreviewShowsTheWarningsThatWouldFireAtOnce() {
        String admin = adminToken();
        String ownerId = api.createUser(admin, unique("soon"), "USER", Api.PASSWORD);
        Instant in5Days = Instant.now().plus(Duration.ofDays(5)).truncatedTo(ChronoUnit.SECONDS);
        String soon = api.post("/api/users/" + ownerId + "/tokens", admin,
                Map.of("name", "soon", "expiresAt", in5Days.toString())).json().get("id").asText();
        String config = api.get("/api/settings/app-config", admin).raw();

        JsonNode body = api.put(path("Enable User Token Expiration Notifications") + "?dryRun=true", admin,
                Map.of("value", "30;7;1")).json();
        assertThat(body.get("value").asText()).isEqualTo("30;7;1");
        JsonNode atOnce = body.at("/impact/warningsAtOnce");
        assertThat(atOnce.get("count").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(sampleIds(atOnce)).contains(soon);

        assertThat(api.get("/api/settings/app-config", admin).raw()).isEqualTo(config);
        assertThat(api.get("/api/faults?tokenId=" + soon, admin).json().get("items")).isEmpty();
        assertThat(api.put(path("Enable User Token Expiration Notifications") + "?dryRun=true", admin,
                Map.of("value", "30;x")).status()).isEqualTo(400);
    }

    @Test
    void anInactivityPreviewShowsWhatTheNextRunWouldRevokeAndWarn() {
        String admin = adminToken();
        String ownerId = api.createUser(admin, unique("dusty"), "USER", Api.PASSWORD);
        String old = createdDaysAgo(admin, ownerId, "old", 40).get("id").asText();
        String aging = createdDaysAgo(admin, ownerId, "aging", 25).get("id").asText();
        String config = api.get("/api/settings/app-config", admin).raw();

        JsonNode body = api.put(path("Revoke Permanent Tokens Unused For Days") + "?dryRun=true", admin,
                Map.of("value", "30")).json();
        assertThat(Instant.parse(body.at("/impact/nextRunAt").asText())).isAfter(Instant.now())
                .isBefore(Instant.now().plus(Duration.ofDays(1)));
        assertThat(body.at("/impact/revoked/count").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(sampleIds(body.at("/impact/revoked"))).contains(old).doesNotContain(aging);
        assertThat(sampleIds(body.at("/impact/warned"))).contains(aging).doesNotContain(old);

        assertThat(api.get("/api/settings/app-config", admin).raw()).isEqualTo(config);
        assertThat(api.get("/api/tokens/" + old, admin).json().get("status").asText()).isEqualTo("ACTIVE");
        assertThat(api.get("/api/notifications?tokenId=" + aging, admin).json().get("items")).isEmpty();
        assertThat(api.put(path("Revoke Permanent Tokens Unused For Days") + "?dryRun=true", admin,
                Map.of("value", "3651")).status()).isEqualTo(400);
    }

    @Test
    void anotherKeysPreviewHasNoImpact() {
        String admin = adminToken();
        JsonNode body = api.put(path("Alert On Token Use From New Address") + "?dryRun=true", admin,
                Map.of("value", "True")).json();
        assertThat(body.get("value").asText()).isEqualTo("true");
        assertThat(body.get("impact").isEmpty()).isTrue();
        assertThat(api.put(path("Alert On Token Use From New Address") + "?dryRun=true", adminToken(),
                Map.of("value", "maybe")).status()).isEqualTo(400);
    }
}
