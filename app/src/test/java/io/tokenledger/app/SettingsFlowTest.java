package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The App Config over real HTTP: the portal's keys, checked values, roles, and the policies they drive. */
class SettingsFlowTest extends IntegrationTest {
    static final String DAYS = "Enable User Token Expiration Notifications";
    static final String EMAILS = "User Token Expiration Notification Emails";
    static final String MAX_LIFETIME = "Permanent Token Max Lifetime Days";

    static String path(String key) {
        return "/api/settings/app-config/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @AfterEach
    void restoreDefaults() {
        String admin = adminToken();
        for (String key : new String[] {DAYS, EMAILS, MAX_LIFETIME}) {
            assertThat(api.delete(path(key), admin).status()).isEqualTo(204);
        }
    }

    private JsonNode entry(JsonNode list, String key) {
        for (JsonNode item : list) {
            if (item.get("key").asText().equals(key)) {
                return item;
            }
        }
        return null;
    }

    @Test
    void anAdminSetsReadsAndClearsTheNotificationKeys() {
        String admin = adminToken();
        Api.Response days = api.put(path(DAYS), admin, Map.of("value", "7; 30;1;7"));
        assertThat(days.status()).isEqualTo(200);
        assertThat(days.json().get("value").asText()).isEqualTo("30;7;1");
        assertThat(days.json().get("updatedByUsername").asText()).isEqualTo("admin");

        Api.Response emails = api.put(path(EMAILS), admin, Map.of("value", "ops@example.com; OPS@example.com;sec@example.com"));
        assertThat(emails.status()).isEqualTo(200);
        assertThat(emails.json().get("value").asText()).isEqualTo("ops@example.com;sec@example.com");

        JsonNode list = api.get("/api/settings/app-config", admin).json();
        assertThat(entry(list, DAYS).get("value").asText()).isEqualTo("30;7;1");
        assertThat(entry(list, DAYS).get("updatedAt").asText()).isNotBlank();
        assertThat(entry(list, EMAILS).get("value").asText()).isEqualTo("ops@example.com;sec@example.com");

        // the portal's older label addresses the same key
        assertThat(api.put(path("Enable User Token Notification"), admin, Map.of("value", "14")).json()
                .get("value").asText()).isEqualTo("14");
        assertThat(api.get(path(DAYS), admin).json().get("value").asText()).isEqualTo("14");

        assertThat(api.delete(path(DAYS), admin).status()).isEqualTo(204);
        assertThat(entry(api.get("/api/settings/app-config", admin).json(), DAYS)).isNull();
        assertThat(api.get(path(DAYS), admin).status()).isEqualTo(404);
        // clearing again is harmless
        assertThat(api.delete(path(DAYS), admin).status()).isEqualTo(204);
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedAndChangeNothing() {
        String admin = adminToken();
        api.put(path(DAYS), admin, Map.of("value", "7"));

        Api.Response unknown = api.put(path("Colour Scheme"), admin, Map.of("value", "dark"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.json().get("detail").asText()).contains("unknown App Config key 'Colour Scheme'")
                .contains(DAYS);

        for (String bad : new String[] {"0", "366", "seven", "30;;7", ""}) {
            Api.Response refused = api.put(path(DAYS), admin, Map.of("value", bad));
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().at("/errors/0/field").asText()).isEqualTo("value");
        }
        Api.Response badMail = api.put(path(EMAILS), admin, Map.of("value", "ops@example.com;nobody"));
        assertThat(badMail.status()).isEqualTo(400);
        assertThat(badMail.json().get("detail").asText()).contains("not a valid e-mail address: nobody");
        assertThat(api.put(path(DAYS), admin, "{\"value\": 7").status()).isEqualTo(400);
        assertThat(api.put(path(DAYS), admin, Map.of()).status()).isEqualTo(400);

        JsonNode list = api.get("/api/settings/app-config", admin).json();
        assertThat(entry(list, DAYS).get("value").asText()).isEqualTo("7");
        assertThat(entry(list, EMAILS)).isNull();
        assertThat(api.delete(path("Colour Scheme"), admin).status()).isEqualTo(400);
    }

    @Test
    void auditorsReadAndUsersAreKeptOut() {
        String admin = adminToken();
        String auditorName = unique("auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);
        String userName = unique("user");
        api.createUser(admin, userName, "USER", Api.PASSWORD);
        String user = api.login(userName, Api.PASSWORD);

        assertThat(api.get("/api/settings/app-config", auditor).status()).isEqualTo(200);
        assertThat(api.put(path(DAYS), auditor, Map.of("value", "7")).status()).isEqualTo(403);
        assertThat(api.delete(path(DAYS), auditor).status()).isEqualTo(403);
        assertThat(api.get("/api/settings/app-config", user).status()).isEqualTo(403);
        assertThat(api.put(path(DAYS), user, Map.of("value", "7")).status()).isEqualTo(403);
        assertThat(api.get("/api/settings/app-config", null).status()).isEqualTo(401);
    }

    @Test
    void theMaxLifetimeSettingBoundsNewTokens() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("ci"), "USER", Api.PASSWORD);
        assertThat(api.put(path(MAX_LIFETIME), admin, Map.of("value", "30")).status()).isEqualTo(200);

        String tooLate = LocalDate.now(ZoneOffset.UTC).plusDays(45).toString();
        Api.Response refused = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "too-long", "expiresAt", tooLate));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("detail").asText()).contains("at most 30 days");

        Api.Response byDefault = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "default"));
        assertThat(byDefault.status()).isEqualTo(201);
        assertThat(java.time.Instant.parse(byDefault.json().get("expiresAt").asText()))
                .isBefore(java.time.Instant.now().plus(java.time.Duration.ofDays(30)).plusSeconds(60));

        assertThat(api.delete(path(MAX_LIFETIME), admin).status()).isEqualTo(204);
        assertThat(api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "later", "expiresAt", tooLate))
                .status()).isEqualTo(201);
    }
}
